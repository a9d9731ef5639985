/* Inside the web view: the craie-web thread and the parts of a view that
 * live there. Only display/web/ includes this. */
#ifndef CR_WEB_PRIVATE_H
#define CR_WEB_PRIVATE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "display/web/web_view.h"

/* Starts the craie-web thread if needed. UI thread. */
bool cr_web_thread_ensure(void);
/* Runs func(data) on the craie-web thread, later, in posting order; then
 * free_fn(data). */
void cr_web_thread_post(GSourceFunc func, void *data, GDestroyNotify free_fn);
/* Runs func(data) on the craie-web thread and waits until it calls
 * cr_web_thread_done(sync) (possibly from a later callback on that thread). */
struct cr_web_sync;
void cr_web_thread_call_sync(void (*func)(struct cr_web_sync *sync, void *data), void *data);
void cr_web_thread_done(struct cr_web_sync *sync);
/* The craie-web thread's context (for its timers). */
GMainContext *cr_web_thread_context(void);

/* Live engine processes (WPEWebProcess, WPENetworkProcess) whose parent is
 * this process. */
GArray *cr_web_engine_pids(void); /* of pid_t */
bool cr_web_pid_alive(pid_t pid);

enum cr_web_error_cause {
    CR_WEB_ERROR_NETWORK,     /* unreachable, refused, name unknown, timed out */
    CR_WEB_ERROR_CERTIFICATE, /* the site's certificate is not trusted */
    CR_WEB_ERROR_CRASHED,     /* the page's process ended again and again */
};

/* The error page shown when failing_url cannot be loaded (g_free). Shows
 * the host only, never the query string. */
char *cr_web_error_page_html(const char *failing_url, enum cr_web_error_cause cause);

#endif
