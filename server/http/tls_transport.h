#pragma once

#include "transport.h"

#include <tl/expected.hpp>

#include <memory>
#include <string>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace hoist {

// The server's certificate and key, loaded once; each connection gets a TlsTransport.
class TlsContext final {
  public:
    static tl::expected<std::unique_ptr<TlsContext>, std::string> load(const std::string& certFile,
                                                                       const std::string& keyFile);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    // Null when OpenSSL cannot set up a connection (out of memory).
    std::unique_ptr<Transport> wrap(int socket) const;

  private:
    explicit TlsContext(SSL_CTX* context) : m_context(context) {}
    SSL_CTX* m_context;
};

// TLS over a socket that this class makes non-blocking, so that a partial record never
// blocks a read past GuardedStream's deadlines (httplib's own TLS loop had none).
class TlsTransport final : public Transport {
  public:
    TlsTransport(SSL* ssl, int socket);
    ~TlsTransport() override;
    TlsTransport(const TlsTransport&) = delete;
    TlsTransport& operator=(const TlsTransport&) = delete;

    TransportStep handshake() override;
    TransportStep receive(char* data, size_t size) override;
    TransportStep send(const char* data, size_t size) override;
    bool buffered() const override;
    void close() override;

  private:
    TransportStep stepOf(int result);
    SSL* m_ssl;
};

} // namespace hoist
