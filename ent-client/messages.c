/* Names of the client's enums, and what the board tells the teacher. */
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"
#include "ent-client/private.h"

static const char *const kind_names[] = {"none", "entcore", "oidc", "cas"};

const char *cr_ent_kind_name(enum cr_ent_kind kind)
{
    return kind < CR_ARRAY_SIZE(kind_names) ? kind_names[kind] : "none";
}

bool cr_ent_kind_from_name(const char *name, enum cr_ent_kind *kind)
{
    for (size_t i = 0; name && i < CR_ARRAY_SIZE(kind_names); i++) {
        if (!strcmp(name, kind_names[i])) {
            *kind = (enum cr_ent_kind)i;
            return true;
        }
    }
    return false;
}

const char *cr_ent_method_name(enum cr_ent_method m)
{
    switch (m) {
    case CR_ENT_METHOD_DEVICE:
        return "device";
    case CR_ENT_METHOD_CROSS_DEVICE:
        return "cross-device";
    case CR_ENT_METHOD_PASSWORD:
        return "password";
    default:
        return "none";
    }
}

const char *cr_ent_problem_message(enum cr_ent_problem problem)
{
    switch (problem) {
    case CR_ENT_PROBLEM_NONE:
    case CR_ENT_PROBLEM_PENDING:
    case CR_ENT_PROBLEM_SLOW_DOWN:
        return NULL;
    case CR_ENT_PROBLEM_EXPIRED:
        return _("The code has expired. Touch \"Start again\" to get a new one.");
    case CR_ENT_PROBLEM_DENIED:
        return _("The sign-in was refused.");
    case CR_ENT_PROBLEM_BAD_CREDENTIALS:
        return _("Wrong user name or password.");
    case CR_ENT_PROBLEM_BLOCKED:
        return _("This account is blocked. Contact the ENT's administrator.");
    case CR_ENT_PROBLEM_BANNED:
        return _("Too many attempts. Try again in a few minutes.");
    case CR_ENT_PROBLEM_ACCOUNT_SETUP:
    case CR_ENT_PROBLEM_REQUIREMENTS:
        return _("Your ENT account needs your attention (password, terms of use or "
                 "two-step verification). Finish on your own phone or computer, then sign in "
                 "again here.");
    case CR_ENT_PROBLEM_QUOTA:
        return _("The ENT is overloaded. Try again in a moment.");
    case CR_ENT_PROBLEM_CLIENT:
        return _("The ENT does not recognise this board. Tell the technician (client id or "
                 "secret).");
    case CR_ENT_PROBLEM_GRANT:
        return _("The sign-in is no longer valid. Please sign in again.");
    case CR_ENT_PROBLEM_SCOPE:
        return _("The ENT refuses the access craie asks for. Tell the technician.");
    case CR_ENT_PROBLEM_UNSUPPORTED:
        return _("The ENT does not allow this way of signing in.");
    case CR_ENT_PROBLEM_STATE:
        return _("This sign-in link is no longer valid. Scan the code shown on the board.");
    case CR_ENT_PROBLEM_SERVER:
        return _("The ENT answered in an unexpected way. Try again later.");
    case CR_ENT_PROBLEM_NETWORK:
        return _("The ENT cannot be reached. Check the network.");
    case CR_ENT_PROBLEM_CONFIG:
        return _("The ENT is not fully set up on this board. Tell the technician.");
    }
    return NULL;
}

const char *cr_ent_signout_message(enum cr_ent_signout_reason reason)
{
    switch (reason) {
    case CR_ENT_SIGNOUT_IDLE:
        return _("Signed out after a period of inactivity. Nothing was kept on the board.");
    case CR_ENT_SIGNOUT_END_OF_DAY:
        return _("Signed out at the end of the day. Nothing was kept on the board.");
    case CR_ENT_SIGNOUT_EXPIRED:
        return _("The ENT ended the session. Nothing was kept on the board.");
    default:
        return _("You are signed out. Nothing was kept on the board.");
    }
}
