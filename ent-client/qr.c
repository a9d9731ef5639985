#include "ent-client/qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

struct cr_qr *cr_qr_new(const char *text)
{
    if (!text || !*text)
        return NULL;
    QRcode *code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!code)
        return NULL;
    struct cr_qr *qr = cr_xcalloc(1, sizeof(*qr));
    qr->width = code->width;
    size_t n = (size_t)code->width * (size_t)code->width;
    qr->modules = cr_xmalloc(n);
    for (size_t i = 0; i < n; i++)
        qr->modules[i] = code->data[i] & 1;
    explicit_bzero(code->data, n);
    QRcode_free(code);
    return qr;
}

void cr_qr_free(struct cr_qr *qr)
{
    if (!qr)
        return;
    explicit_bzero(qr->modules, (size_t)qr->width * (size_t)qr->width);
    free(qr->modules);
    free(qr);
}
