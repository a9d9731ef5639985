/* Helpers of the idp suite: the servers are started by run-with.sh (their
 * addresses come in the environment); these run the client's context until
 * something happens, and play the teacher's phone as a child process. */
#ifndef CR_TEST_IDP_H
#define CR_TEST_IDP_H

#include <glib.h>
#include <stdbool.h>

#include "ent-client/ent.h"

/* After g_test_init: the client's warnings (a refused sign-in is one) are
 * printed, not fatal; criticals stay fatal. */
void idp_init(void);

/* An environment variable run-with.sh set (fails the test when absent). */
const char *idp_env(const char *name);
/* DIR/name of the suite's scripts. g_free. */
char *idp_script(const char *name);

/* A client on its own context, recording every state it went through. */
struct idp_client {
    GMainContext *ctx;
    struct cr_ent *ent;
    GArray *states; /* enum cr_ent_state, each change */
    unsigned changes;
};

void idp_client_init(struct idp_client *c, const struct cr_ent_settings *s);
void idp_client_destroy(struct idp_client *c);
/* Runs the context until the state is `state` (and, when signed in, no
 * listing is in flight), or timeout_ms. True when reached. */
bool idp_client_wait(struct idp_client *c, enum cr_ent_state state, int timeout_ms);
/* Runs the context for ms. */
void idp_client_run(struct idp_client *c, int ms);

/* A child process (a "phone" script) run while the context turns. */
struct idp_child {
    GPid pid;
    int status;
    bool done;
    char *out_path;
};

void idp_child_spawn(struct idp_child *ch, char **argv);
/* Runs the client's context until the child ends; its exit status == 0? */
bool idp_child_wait(struct idp_client *c, struct idp_child *ch, int timeout_ms);
/* Its standard output (g_free). */
char *idp_child_output(struct idp_child *ch);

/* The test's own copy of a secret, kept XOR-ed so that it never matches a
 * scan of memory. */
struct idp_hidden {
    unsigned char *bytes;
    size_t len;
};

struct idp_hidden idp_hide(const char *secret);
/* Copies of the secret elsewhere in this process's memory (decoded into
 * one buffer that is zeroed after). */
long idp_copies_in_memory(const struct idp_hidden *h);
void idp_hidden_free(struct idp_hidden *h);

/* Runs a command to its end (no context), returns its stdout (g_free) or
 * NULL when it failed. */
char *idp_run(char **argv);

/* The calls the fake entcore (ENTCORE_URL) saw, a line each:
 * "METHOD path[ bearer]|accept" (g_free). */
char *idp_fake_calls(void);
/* How many of its lines start with prefix. */
int idp_fake_count(const char *calls, const char *prefix);

#endif
