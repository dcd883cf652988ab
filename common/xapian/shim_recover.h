/*
 * shim_recover.h: the plain-C face of shim_recover.cc: clearing what a
 * writer killed while it was creating an index left behind.
 */
#ifndef ATT_SHIM_RECOVER_H
#define ATT_SHIM_RECOVER_H

#include "shim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* If directory `path` holds only the files of a Xapian glass database
 * that was never completed (no version file "iamglass", so no revision was
 * ever committed) and no writer holds its lock, removes them, so that the
 * index can be created there.  Anything else is left alone.
 * Returns ATT_OK (also when there was nothing to do); ATT_IO when a
 * leftover file cannot be removed. */
att_status att_shim_recover_creation(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* ATT_SHIM_RECOVER_H */
