"""Identity and access: logins (`login_router`) and the accounts administrators manage."""

from app.routers.v1.users.accounts import router
from app.routers.v1.users.login import router as login_router

__all__ = ["login_router", "router"]
