#pragma once

#include "http_transport.h"
#include "protocol_client_factory.h"
#include "settings.h"

#include <QHash>
#include <QPair>
#include <QSslConfiguration>

#include <memory>

namespace hoist {

// The engine's ProtocolClientFactory: one client per (server, protocol), all over
// HTTP(S) and sharing the thread's network access manager, the bandwidth limiter, the
// token, the TLS trust (the CA file is read once, here) and the transfer timeout.
class HttpClientPool final : public ProtocolClientFactory {
  public:
    // Takes the token, the CA file and the transfer timeout of `settings`; the server
    // is each client's own.
    HttpClientPool(QNetworkAccessManager& network, BandwidthLimiter* limiter,
                   const Settings& settings);

    ProtocolClient* clientFor(const QUrl& server, Protocol protocol) override;
    bool isConfigured(QString* reason = nullptr) const override;

  private:
    std::unique_ptr<ProtocolClient> makeClient(const QUrl& server, Protocol protocol) const;

    QNetworkAccessManager& m_network;
    BandwidthLimiter* m_limiter;
    QString m_token;
    std::chrono::milliseconds m_transferTimeout;
    QSslConfiguration m_ssl;
    QString m_caError;
    QHash<QPair<QUrl, Protocol>, std::shared_ptr<ProtocolClient>> m_clients;
};

} // namespace hoist
