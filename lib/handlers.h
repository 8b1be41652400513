/* handlers.h: the endpoint declarations, one per CGI executable in cgi-bin/. */
#ifndef DM_HANDLERS_H
#define DM_HANDLERS_H

#include "entry.h"

extern const struct dm_endpoint dm_ep_auth_check;
extern const struct dm_endpoint dm_ep_not_found;

/* Whether a path is one of the API's (answered in plain text, never HTML). */
int dm_is_api_path(const char *uri);

#endif
