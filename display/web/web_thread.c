/* The craie-web thread: one GMainContext that owns every WebKit object
 * (WebKit is single-threaded; its run loop attaches to the thread-default
 * context of the thread that first uses it), and the /proc scan that finds
 * the engine's processes. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wpe/fdo.h>
#include <wpe/unstable/fdo-shm.h>

#include "common/log.h"
#include "display/web/web_private.h"

static GMutex lock;
static GThread *thread;    /* guarded by lock */
static GMainContext *ctx;  /* set before the thread starts, cleared after join */
static GMainLoop *loop;    /* idem */
static bool backend_ready; /* craie-web thread: the fdo backend is initialised */
static bool started_ok;    /* guarded by lock: the thread set up its backend */
static GCond started_cond; /* with lock */
static bool started;       /* guarded by lock */
static bool shut_down;     /* guarded by lock: WebKit's thread is gone for good */

static gpointer web_thread_main(gpointer data)
{
    g_main_context_push_thread_default(ctx);
    bool ok = true;
    if (!backend_ready) {
        /* Once per process: libwpe loads its backend, the fdo backend sets up
         * its Wayland display for the web processes' buffers (SHM: no GPU). */
        ok = wpe_loader_init("libWPEBackend-fdo-1.0.so.1") && wpe_fdo_initialize_shm();
        backend_ready = ok;
        if (!ok)
            cr_warn("web", "cannot initialise the WPE fdo backend (SHM)");
    }
    g_mutex_lock(&lock);
    started = true;
    started_ok = ok;
    g_cond_broadcast(&started_cond);
    g_mutex_unlock(&lock);
    if (ok)
        g_main_loop_run(loop);
    g_main_context_pop_thread_default(ctx);
    return NULL;
}

bool cr_web_init(void)
{
    return true;
}

bool cr_web_thread_ensure(void)
{
    g_mutex_lock(&lock);
    if (shut_down) {
        g_mutex_unlock(&lock);
        cr_warn("web", "the web engine was shut down: no new view");
        return false;
    }
    if (thread) {
        bool ok = started_ok;
        g_mutex_unlock(&lock);
        return ok;
    }
    ctx = g_main_context_new();
    loop = g_main_loop_new(ctx, FALSE);
    started = false;
    thread = g_thread_new("craie-web", web_thread_main, NULL);
    while (!started)
        g_cond_wait(&started_cond, &lock);
    bool ok = started_ok;
    g_mutex_unlock(&lock);
    return ok;
}

void cr_web_shutdown(void)
{
    g_mutex_lock(&lock);
    GThread *t = thread;
    thread = NULL;
    shut_down = t != NULL;
    g_mutex_unlock(&lock);
    if (!t)
        return;
    g_main_loop_quit(loop);
    g_thread_join(t);
    /* Let sources posted after the quit free their data. */
    while (g_main_context_pending(ctx))
        g_main_context_iteration(ctx, FALSE);
    g_main_loop_unref(loop);
    g_main_context_unref(ctx);
    loop = NULL;
    ctx = NULL;
}

GMainContext *cr_web_thread_context(void)
{
    return ctx;
}

void cr_web_thread_post(GSourceFunc func, void *data, GDestroyNotify free_fn)
{
    g_main_context_invoke_full(ctx, G_PRIORITY_DEFAULT, func, data, free_fn);
}

struct cr_web_sync {
    GMutex lock;
    GCond cond;
    bool done; /* guarded by lock */
    void (*func)(struct cr_web_sync *sync, void *data);
    void *data;
};

static gboolean sync_run(gpointer p)
{
    struct cr_web_sync *s = p;
    s->func(s, s->data);
    return G_SOURCE_REMOVE;
}

void cr_web_thread_call_sync(void (*func)(struct cr_web_sync *sync, void *data), void *data)
{
    struct cr_web_sync s = {.func = func, .data = data};
    g_mutex_init(&s.lock);
    g_cond_init(&s.cond);
    g_main_context_invoke_full(ctx, G_PRIORITY_DEFAULT, sync_run, &s, NULL);
    g_mutex_lock(&s.lock);
    while (!s.done)
        g_cond_wait(&s.cond, &s.lock);
    g_mutex_unlock(&s.lock);
    g_mutex_clear(&s.lock);
    g_cond_clear(&s.cond);
}

void cr_web_thread_done(struct cr_web_sync *sync)
{
    g_mutex_lock(&sync->lock);
    sync->done = true;
    g_cond_signal(&sync->cond);
    g_mutex_unlock(&sync->lock);
}

/* Reads /proc/PID/stat: name (comm), state and parent. */
static bool read_stat(pid_t pid, char *comm, size_t comm_size, char *state, pid_t *ppid)
{
    char path[64], buf[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    bool ok = fgets(buf, sizeof(buf), f) != NULL;
    fclose(f);
    if (!ok)
        return false;
    char *open = strchr(buf, '(');
    char *close = strrchr(buf, ')');
    if (!open || !close || close < open)
        return false;
    size_t n = (size_t)(close - open - 1);
    if (n >= comm_size)
        n = comm_size - 1;
    memcpy(comm, open + 1, n);
    comm[n] = '\0';
    int pp;
    if (sscanf(close + 1, " %c %d", state, &pp) != 2)
        return false;
    *ppid = pp;
    return true;
}

static bool is_engine(pid_t pid)
{
    char comm[64], state;
    pid_t ppid;
    if (!read_stat(pid, comm, sizeof(comm), &state, &ppid))
        return false;
    /* comm is cut at 15 characters: "WPENetworkProce". */
    return ppid == getpid() && state != 'Z' && state != 'X' &&
           (strcmp(comm, "WPEWebProcess") == 0 || strncmp(comm, "WPENetworkProce", 15) == 0);
}

bool cr_web_pid_alive(pid_t pid)
{
    return is_engine(pid);
}

GArray *cr_web_engine_pids(void)
{
    GArray *pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
    DIR *d = opendir("/proc");
    if (!d)
        return pids;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long v = strtol(e->d_name, &end, 10);
        if (*end != '\0' || v <= 0)
            continue;
        pid_t pid = (pid_t)v;
        if (is_engine(pid))
            g_array_append_val(pids, pid);
    }
    closedir(d);
    return pids;
}

int cr_web_engine_process_count(void)
{
    GArray *pids = cr_web_engine_pids();
    int n = (int)pids->len;
    g_array_unref(pids);
    return n;
}
