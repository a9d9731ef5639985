/* Small builders shared by everything that writes get_state's JSON. */
#ifndef CR_STATE_JSON_H
#define CR_STATE_JSON_H

#include <json-glib/json-glib.h>

#include "display/layout.h"

/* "name": {"x": …, "y": …, "w": …, "h": …} */
void cr_state_add_rect(JsonBuilder *b, const char *name, struct cr_rect r);

#endif
