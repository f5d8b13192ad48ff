// The system libsqlite3 with its session extension declared, for hearth-bench only.
//
// Debian builds libsqlite3 with SQLITE_ENABLE_SESSION and SQLITE_ENABLE_PREUPDATE_HOOK, so the
// sqlite3session_* and sqlite3changeset_* functions are exported, but <sqlite3.h> declares them
// only when these macros are defined before it is included.
#ifndef HEARTH_CSQLITESESSION_SHIM_H
#define HEARTH_CSQLITESESSION_SHIM_H

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#endif
