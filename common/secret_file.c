#include "common/secret_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECRET_MAX (64 * 1024)

bool cr_secret_file_read(const char *path, char **out, GError **error)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", path, g_strerror(e));
        return false;
    }
    struct stat st;
    bool ok = fstat(fd, &st) == 0;
    if (ok && !S_ISREG(st.st_mode)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a regular file", path);
        ok = false;
    } else if (ok && (st.st_mode & 077)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                    "%s: readable by others (mode %03o): refused, run chmod 600 on it", path,
                    (unsigned)(st.st_mode & 0777));
        ok = false;
    } else if (ok && st.st_uid != geteuid()) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                    "%s: owned by uid %u, not by the user running craie (uid %u): refused, "
                    "run chown on it",
                    path, (unsigned)st.st_uid, (unsigned)geteuid());
        ok = false;
    } else if (ok && st.st_size > SECRET_MAX) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: too large for a secret", path);
        ok = false;
    }
    char *buf = NULL;
    ssize_t len = 0;
    if (ok) {
        buf = g_malloc0(SECRET_MAX + 1);
        while (len < SECRET_MAX) {
            ssize_t r = read(fd, buf + len, (size_t)(SECRET_MAX - len));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            len += r;
        }
        while (len > 0 && g_ascii_isspace(buf[len - 1]))
            buf[--len] = '\0';
        if (len == 0) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: empty", path);
            ok = false;
        }
    }
    close(fd);
    if (!ok) {
        cr_secret_file_free(buf);
        return false;
    }
    *out = buf;
    return true;
}

void cr_secret_file_free(char *secret)
{
    if (!secret)
        return;
    explicit_bzero(secret, strlen(secret));
    g_free(secret);
}
