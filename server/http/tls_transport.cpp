#include "tls_transport.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <climits>
#include <fcntl.h>
#include <poll.h>

namespace hoist {

namespace {
std::string lastError() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return "unknown error";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}
} // namespace

tl::expected<std::unique_ptr<TlsContext>, std::string>
TlsContext::load(const std::string& certFile, const std::string& keyFile) {
    SSL_CTX* context = SSL_CTX_new(TLS_server_method());
    if (context == nullptr)
        return tl::unexpected("cannot set up TLS: " + lastError());
    std::unique_ptr<TlsContext> loaded(new TlsContext(context));
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(context, certFile.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(context, keyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(context) != 1)
        return tl::unexpected("cannot load the TLS certificate or key (" + certFile + ", " +
                              keyFile + "): " + lastError());
    return loaded;
}

TlsContext::~TlsContext() {
    SSL_CTX_free(m_context);
}

std::unique_ptr<Transport> TlsContext::wrap(int socket) const {
    SSL* ssl = SSL_new(m_context);
    if (ssl == nullptr || SSL_set_fd(ssl, socket) != 1) {
        SSL_free(ssl);
        ERR_clear_error();
        return nullptr;
    }
    return std::make_unique<TlsTransport>(ssl, socket);
}

TlsTransport::TlsTransport(SSL* ssl, int socket) : m_ssl(ssl) {
    ::fcntl(socket, F_SETFL, ::fcntl(socket, F_GETFL) | O_NONBLOCK);
}

TlsTransport::~TlsTransport() {
    SSL_free(m_ssl);
}

TransportStep TlsTransport::stepOf(int result) {
    if (result > 0)
        return {result, 0};
    const int error = SSL_get_error(m_ssl, result);
    if (error == SSL_ERROR_WANT_READ)
        return {0, POLLIN};
    if (error == SSL_ERROR_WANT_WRITE)
        return {0, POLLOUT};
    // A closed or broken connection; the error queue is per thread and must not leak
    // into the next connection this thread serves.
    ERR_clear_error();
    return {0, 0};
}

TransportStep TlsTransport::handshake() {
    return stepOf(SSL_accept(m_ssl));
}

TransportStep TlsTransport::receive(char* data, size_t size) {
    return stepOf(SSL_read(m_ssl, data, static_cast<int>(std::min<size_t>(size, INT_MAX))));
}

TransportStep TlsTransport::send(const char* data, size_t size) {
    return stepOf(SSL_write(m_ssl, data, static_cast<int>(std::min<size_t>(size, INT_MAX))));
}

bool TlsTransport::buffered() const {
    return SSL_pending(m_ssl) > 0;
}

void TlsTransport::close() {
    if (SSL_is_init_finished(m_ssl))
        SSL_shutdown(m_ssl);
    ERR_clear_error();
}

} // namespace hoist
