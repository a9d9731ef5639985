/* The QR code the sign-in screen shows (libqrencode stays in qr.c). What a
 * QR code carries here lets a phone sign the board in: the caller zeroes
 * nothing, cr_qr_free does. */
#ifndef CR_ENT_QR_H
#define CR_ENT_QR_H

#include <stdint.h>

struct cr_qr {
    int width;        /* modules per side, without the quiet zone (4 on each side) */
    uint8_t *modules; /* width * width, row by row: 1 dark, 0 light */
};

/* Encodes text (UTF-8, byte mode, error correction M, the smallest version
 * that fits). NULL when it does not fit in a QR code. Any thread. */
struct cr_qr *cr_qr_new(const char *text);
void cr_qr_free(struct cr_qr *qr);

#endif
