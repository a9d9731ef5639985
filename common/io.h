/* The io thread: one GMainContext that owns GStreamer bus watches, the device
 * monitor, the IPC socket and timers. The UI thread talks to it only through
 * cr_io_invoke(); it talks to the UI thread only through display/events.h. */
#ifndef CR_IO_H
#define CR_IO_H

#include <glib.h>
#include <stdbool.h>

struct cr_io {
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
};

/* Creates the context (so that components can attach sources to it before
 * the thread runs). */
void cr_io_init(struct cr_io *io);
/* Starts the thread "craie-io" running the loop. */
bool cr_io_start(struct cr_io *io);
/* Runs fn(data) on the io thread (at once if called from it); destroy(data)
 * is called after, or when the context is destroyed without running it.
 * Callable from any thread. */
void cr_io_invoke(struct cr_io *io, GSourceFunc fn, void *data, GDestroyNotify destroy);
/* Asks the loop to quit (after what is already queued); returns at once. */
void cr_io_stop(struct cr_io *io);
/* Waits for the thread to end. */
void cr_io_join(struct cr_io *io);
/* Frees the context (after join); pending invocations are destroyed. */
void cr_io_destroy(struct cr_io *io);

#endif
