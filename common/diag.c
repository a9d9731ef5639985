#include "common/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/timex.h>

#include "common/i18n.h"
#include "common/log.h"

static int timeout_ms(const struct cr_diag_options *o)
{
    return o->timeout_ms > 0 ? o->timeout_ms : 3000;
}

static void set(struct cr_diag_item *out, enum cr_diag_status st, char *summary, const char *advice)
{
    out->status = st;
    g_free(out->summary);
    out->summary = summary;
    g_free(out->advice);
    out->advice = advice ? g_strdup(advice) : NULL;
}

/* --- mDNS --------------------------------------------------------------- */

/* A DNS-SD service enumeration query (_services._dns-sd._udp.local PTR). */
static size_t mdns_query(guint8 *buf)
{
    static const guint8 header[12] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    static const char *const labels[] = {"_services", "_dns-sd", "_udp", "local"};
    size_t n = 0;
    memcpy(buf, header, sizeof(header));
    n = sizeof(header);
    for (size_t i = 0; i < G_N_ELEMENTS(labels); i++) {
        size_t l = strlen(labels[i]);
        buf[n++] = (guint8)l;
        memcpy(buf + n, labels[i], l);
        n += l;
    }
    buf[n++] = 0;
    buf[n++] = 0; /* QTYPE PTR (12) */
    buf[n++] = 12;
    buf[n++] = 0; /* QCLASS IN */
    buf[n++] = 1;
    return n;
}

void cr_diag_check_mdns(const struct cr_diag_options *o, struct cr_diag_item *out)
{
    out->id = "mdns";
    const char *addr = o->mdns_address ? o->mdns_address : "224.0.0.251";
    int port = o->mdns_port > 0 ? o->mdns_port : 5353;
    g_autoptr(GError) err = NULL;
    GInetAddress *ia = g_inet_address_new_from_string(addr);
    GSocket *sock = ia ? g_socket_new(g_inet_address_get_family(ia), G_SOCKET_TYPE_DATAGRAM,
                                      G_SOCKET_PROTOCOL_UDP, &err)
                       : NULL;
    bool answered = false;
    if (sock) {
        GSocketAddress *to = g_inet_socket_address_new(ia, (guint16)port);
        guint8 q[64], reply[1500];
        size_t qn = mdns_query(q);
        g_socket_set_timeout(sock, 0);
        if (g_socket_send_to(sock, to, (const char *)q, qn, NULL, &err) == (gssize)qn) {
            int64_t deadline = g_get_monotonic_time() + (int64_t)timeout_ms(o) * 1000;
            while (!answered) {
                int64_t left = (deadline - g_get_monotonic_time()) / 1000;
                if (left <= 0)
                    break;
                if (!g_socket_condition_timed_wait(sock, G_IO_IN, left * 1000, NULL, NULL))
                    break;
                gssize n = g_socket_receive(sock, (char *)reply, sizeof(reply), NULL, NULL);
                /* a response (QR bit) with at least one answer */
                answered = n >= 12 && (reply[2] & 0x80) && ((reply[6] << 8) | reply[7]) > 0;
            }
        }
        g_object_unref(to);
        g_object_unref(sock);
    }
    if (ia)
        g_object_unref(ia);
    if (answered)
        set(out, CR_DIAG_OK, g_strdup(_("mDNS works on this network.")), NULL);
    else
        set(out, CR_DIAG_FAIL,
            g_strdup_printf(_("No mDNS answer on this network (%s port %d)."), addr, port),
            _("Pupils' tablets will not find the board by its name: ask the network team to "
              "allow multicast (224.0.0.251, UDP 5353) on the classroom Wi-Fi, or give the "
              "pupils the address shown on the board."));
}

/* --- casting port --------------------------------------------------------- */

void cr_diag_check_cast(const struct cr_diag_options *o, struct cr_diag_item *out)
{
    out->id = "cast";
    if (!o->cast_host || !*o->cast_host || o->cast_port <= 0) {
        set(out, CR_DIAG_FAIL, g_strdup(_("Casting is not running.")),
            _("Check cast.enabled and the log (Journal page): the casting port may be taken by "
              "another program."));
        return;
    }
    GSocketClient *client = g_socket_client_new();
    g_socket_client_set_timeout(client, (guint)(timeout_ms(o) + 999) / 1000);
    g_autoptr(GError) err = NULL;
    GSocketConnection *c =
        g_socket_client_connect_to_host(client, o->cast_host, (guint16)o->cast_port, NULL, &err);
    g_object_unref(client);
    if (c) {
        g_object_unref(c);
        set(out, CR_DIAG_OK,
            g_strdup_printf(_("The casting port answers (%s port %d)."), o->cast_host,
                            o->cast_port),
            NULL);
        return;
    }
    set(out, CR_DIAG_FAIL,
        g_strdup_printf(_("The casting port does not answer (%s port %d: %s)."), o->cast_host,
                        o->cast_port, err->message),
        _("Open this TCP port in the PC's firewall, and check that the tablets are on a network "
          "that can reach this address."));
}

/* --- ENT and its certificate --------------------------------------------- */

static int days_until(const ASN1_TIME *t)
{
    int days = 0, secs = 0;
    if (!ASN1_TIME_diff(&days, &secs, NULL, t))
        return 0;
    return days;
}

void cr_diag_check_ent(const struct cr_diag_options *o, struct cr_diag_item *out)
{
    out->id = "ent";
    if (!o->ent_url || !*o->ent_url) {
        set(out, CR_DIAG_SKIPPED, g_strdup(_("No ENT is configured.")), NULL);
        return;
    }
    g_autoptr(GUri) uri = g_uri_parse(o->ent_url, G_URI_FLAGS_NONE, NULL);
    const char *host = uri ? g_uri_get_host(uri) : NULL;
    if (!host || g_strcmp0(g_uri_get_scheme(uri), "https")) {
        set(out, CR_DIAG_FAIL,
            g_strdup_printf(_("The ENT address is not an https URL: %s"), o->ent_url),
            _("Correct ent.url in the settings file."));
        return;
    }
    int port = g_uri_get_port(uri) > 0 ? g_uri_get_port(uri) : 443;
    GSocketClient *client = g_socket_client_new();
    g_socket_client_set_timeout(client, (guint)(timeout_ms(o) + 999) / 1000);
    g_autoptr(GError) err = NULL;
    GSocketConnection *conn =
        g_socket_client_connect_to_host(client, host, (guint16)port, NULL, &err);
    g_object_unref(client);
    if (!conn) {
        set(out, CR_DIAG_FAIL,
            g_strdup_printf(_("The ENT does not answer (%s: %s)."), host, err->message),
            _("Check the network cable or Wi-Fi, the proxy and the DNS of this PC; if other PCs "
              "reach the ENT, ask the network team whether this one is filtered."));
        return;
    }
    int fd = g_socket_get_fd(g_socket_connection_get_socket(conn));
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (o->ent_ca_file && *o->ent_ca_file)
        SSL_CTX_load_verify_locations(ctx, o->ent_ca_file, NULL);
    else
        SSL_CTX_set_default_verify_paths(ctx);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* we read the result, we do not abort */
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, host);
    SSL_set1_host(ssl, host);
    struct timeval tv = {timeout_ms(o) / 1000, (timeout_ms(o) % 1000) * 1000};
    /* OpenSSL reads the descriptor itself: blocking, with a timeout */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    int hs = SSL_connect(ssl);
    X509 *cert = hs == 1 ? SSL_get1_peer_certificate(ssl) : NULL;
    long verify = hs == 1 ? SSL_get_verify_result(ssl) : X509_V_OK;
    if (hs != 1) {
        unsigned long e = ERR_get_error();
        char buf[256];
        if (e)
            ERR_error_string_n(e, buf, sizeof(buf));
        else
            g_snprintf(buf, sizeof(buf), "TLS error %d (%s)", SSL_get_error(ssl, hs),
                       g_strerror(errno));
        set(out, CR_DIAG_FAIL,
            g_strdup_printf(_("The ENT answers but TLS fails (%s: %s)."), host, buf),
            _("A proxy or filter may intercept HTTPS: ask the network team to let this PC reach "
              "the ENT directly."));
    } else if (!cert) {
        set(out, CR_DIAG_FAIL, g_strdup_printf(_("The ENT sent no certificate (%s)."), host),
            _("Tell the ENT's provider."));
    } else {
        out->cert_days = days_until(X509_get0_notAfter(cert));
        if (verify == X509_V_ERR_CERT_HAS_EXPIRED || out->cert_days < 0) {
            set(out, CR_DIAG_FAIL,
                g_strdup_printf(_("The ENT's certificate has expired (%s, %d days ago)."), host,
                                -out->cert_days),
                _("Sign-in will fail until it is renewed: tell the ENT's provider (or the "
                  "académie). If the date shown on this PC is wrong, fix the clock first."));
        } else if (verify == X509_V_ERR_CERT_NOT_YET_VALID) {
            set(out, CR_DIAG_FAIL,
                g_strdup_printf(_("The ENT's certificate is not valid yet (%s)."), host),
                _("This PC's clock is probably wrong: check the clock line below."));
        } else if (verify != X509_V_OK) {
            set(out, CR_DIAG_FAIL,
                g_strdup_printf(_("The ENT's certificate is not trusted (%s: %s)."), host,
                                X509_verify_cert_error_string(verify)),
                _("A proxy may replace certificates, or ent.ca_file is missing for a private "
                  "authority: install the right authority with ent.ca_file."));
        } else if (out->cert_days < 15) {
            set(out, CR_DIAG_WARN,
                g_strdup_printf(_("The ENT answers; its certificate expires in %d days."),
                                out->cert_days),
                _("Tell the ENT's provider that the certificate must be renewed soon."));
        } else {
            set(out, CR_DIAG_OK,
                g_strdup_printf(_("The ENT answers; its certificate is valid (%d days left)."),
                                out->cert_days),
                NULL);
        }
    }
    X509_free(cert);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    g_object_unref(conn);
}

/* --- clock --------------------------------------------------------------- */

void cr_diag_check_clock(struct cr_diag_item *out)
{
    out->id = "clock";
    struct timex tx = {0};
    int state = adjtimex(&tx);
    bool synced = state != -1 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *when = g_date_time_format(now, "%Y-%m-%d %H:%M");
    if (synced)
        set(out, CR_DIAG_OK, g_strdup_printf(_("The clock is synchronised (%s)."), when), NULL);
    else
        set(out, CR_DIAG_WARN, g_strdup_printf(_("The clock is not synchronised (%s)."), when),
            _("Check that this PC reaches a time server (systemd-timesyncd or chrony, the "
              "school's NTP server): a wrong date makes certificates fail."));
}

/* --- the report ------------------------------------------------------------ */

struct cr_diag_report *cr_diag_run(const struct cr_diag_options *opts)
{
    struct cr_diag_report *r = g_new0(struct cr_diag_report, 1);
    r->n = 4;
    r->items = g_new0(struct cr_diag_item, r->n);
    cr_diag_check_mdns(opts, &r->items[0]);
    cr_diag_check_cast(opts, &r->items[1]);
    cr_diag_check_ent(opts, &r->items[2]);
    cr_diag_check_clock(&r->items[3]);
    for (size_t i = 0; i < r->n; i++)
        cr_log(r->items[i].status == CR_DIAG_FAIL ? G_LOG_LEVEL_WARNING : G_LOG_LEVEL_INFO, "diag",
               "%s: %s", r->items[i].id, r->items[i].summary);
    return r;
}

void cr_diag_report_free(struct cr_diag_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        g_free(r->items[i].summary);
        g_free(r->items[i].advice);
    }
    g_free(r->items);
    g_free(r);
}

const struct cr_diag_item *cr_diag_report_find(const struct cr_diag_report *r, const char *id)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (!strcmp(r->items[i].id, id))
            return &r->items[i];
    return NULL;
}

char **cr_diag_report_lines(const struct cr_diag_report *r)
{
    GPtrArray *out = g_ptr_array_new();
    for (size_t i = 0; r && i < r->n; i++) {
        const struct cr_diag_item *it = &r->items[i];
        const char *mark = it->status == CR_DIAG_OK        ? "+ "
                           : it->status == CR_DIAG_SKIPPED ? ""
                                                           : "! ";
        g_ptr_array_add(out, g_strconcat(mark, it->summary, NULL));
        if (it->advice)
            g_ptr_array_add(out, g_strdup(it->advice));
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}
