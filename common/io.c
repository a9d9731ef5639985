#include "common/io.h"

#include "common/log.h"

void cr_io_init(struct cr_io *io)
{
    io->ctx = g_main_context_new();
    io->loop = g_main_loop_new(io->ctx, FALSE);
    io->thread = NULL;
}

static gpointer io_main(gpointer data)
{
    struct cr_io *io = data;
    g_main_context_push_thread_default(io->ctx);
    cr_debug("io", "io thread running");
    g_main_loop_run(io->loop);
    g_main_context_pop_thread_default(io->ctx);
    cr_debug("io", "io thread ended");
    return NULL;
}

bool cr_io_start(struct cr_io *io)
{
    GError *err = NULL;
    io->thread = g_thread_try_new("craie-io", io_main, io, &err);
    if (!io->thread) {
        cr_err("io", "cannot start the io thread: %s", err->message);
        g_error_free(err);
        return false;
    }
    return true;
}

void cr_io_invoke(struct cr_io *io, GSourceFunc fn, void *data, GDestroyNotify destroy)
{
    g_main_context_invoke_full(io->ctx, G_PRIORITY_DEFAULT, fn, data, destroy);
}

static gboolean quit_loop(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_REMOVE;
}

void cr_io_stop(struct cr_io *io)
{
    /* Quit from inside the loop: a g_main_loop_quit() that lands before the
     * thread entered g_main_loop_run() would be lost, and join would hang. */
    if (io->loop)
        g_main_context_invoke_full(io->ctx, G_PRIORITY_LOW, quit_loop, g_main_loop_ref(io->loop),
                                   (GDestroyNotify)g_main_loop_unref);
}

void cr_io_join(struct cr_io *io)
{
    if (io->thread) {
        g_thread_join(io->thread);
        io->thread = NULL;
    }
}

void cr_io_destroy(struct cr_io *io)
{
    if (io->loop) {
        g_main_loop_unref(io->loop);
        io->loop = NULL;
    }
    if (io->ctx) {
        /* Dispatch nothing more, but let pending sources free their data. */
        g_main_context_unref(io->ctx);
        io->ctx = NULL;
    }
}
