#include "display/state_json.h"

void cr_state_add_rect(JsonBuilder *b, const char *name, struct cr_rect r)
{
    json_builder_set_member_name(b, name);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "x");
    json_builder_add_int_value(b, r.x);
    json_builder_set_member_name(b, "y");
    json_builder_add_int_value(b, r.y);
    json_builder_set_member_name(b, "w");
    json_builder_add_int_value(b, r.w);
    json_builder_set_member_name(b, "h");
    json_builder_add_int_value(b, r.h);
    json_builder_end_object(b);
}
