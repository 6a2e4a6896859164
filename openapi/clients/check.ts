// A small typed client over the generated types (generated/schema.d.ts, by scripts/check_clients):
// it compiles under `tsc --strict` only while lists, bodies, headers and error bodies are typed.
import type { components, paths } from "./generated/schema";

type Problem = components["schemas"]["Problem"];
type Users = paths["/api/v1/users"];
type UserPage = Users["get"]["responses"][200]["content"]["application/json"];
type UserCreate = Users["post"]["requestBody"]["content"]["application/json"];
type Created = Users["post"]["responses"][201];
type Invalid = Users["post"]["responses"][422]["content"]["application/problem+json"];
type Unauthenticated = Users["get"]["responses"][401];

// An error body is the Problem schema, not `unknown`.
type IsUnknown<T> = unknown extends T ? true : false;
const errorsAreTyped: IsUnknown<Invalid> = false;
const problemIsInvalid: Invalid extends Problem ? true : false = true;

export function fieldsInError(problem: Invalid): string[] {
  return (problem.errors ?? []).map((e) => `${e.field}: ${e.message} (${e.code})`);
}

export function usernames(page: UserPage): string[] {
  return page.items.map((u) => u.username);
}

export function nextCursor(page: UserPage): string | null {
  return page.next_cursor;
}

// Headers are declared: Idempotency-Key on a creation, Location and ETag on its answer,
// WWW-Authenticate on a 401.
export type CreateHeaders = NonNullable<Users["post"]["parameters"]["header"]>;
export const createHeaders: CreateHeaders = { "Idempotency-Key": "create-user-0001" };
export type CreatedLocation = Created["headers"]["Location"];
export type CreatedTag = Created["headers"]["ETag"];
export type Challenge = Unauthenticated["headers"]["WWW-Authenticate"];
const location: CreatedLocation = "/api/v1/users/01JD0Y5ZQ4S3B6K8N1M2P3R4T5";

export async function createUser(
  base: string,
  token: string,
  body: UserCreate,
): Promise<components["schemas"]["UserPublic"] | Problem> {
  const response = await fetch(`${base}/api/v1/users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...createHeaders },
    body: JSON.stringify(body),
  });
  return (await response.json()) as components["schemas"]["UserPublic"] | Problem;
}

export const checked = [errorsAreTyped, problemIsInvalid, location] as const;
