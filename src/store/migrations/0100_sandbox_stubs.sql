-- Version 100: answers a tester sets for BitGo operations orgbox does not serve
-- (`PUT /sandbox/stubs`). They live in the sandbox's own file, so snapshots carry them and a
-- reset drops them. `template` is the operation's path as BitGo's OpenAPI file spells it;
-- `path` limits the stub to one concrete path (NULL: any path of the template); the match
-- columns hold JSON (NULL: anything).
CREATE TABLE sandbox_stubs (
    id TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    template TEXT NOT NULL,
    path TEXT,
    match_query TEXT,
    match_body TEXT,
    status INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),
    headers TEXT NOT NULL DEFAULT '{}',
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX sandbox_stubs_by_operation ON sandbox_stubs (method, template);
