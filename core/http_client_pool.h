#pragma once

#include "http_protocol_client.h"

#include <QHash>

#include <memory>

namespace hoist {

// One HttpProtocolClient per server, all sharing the thread's network access
// manager, the bandwidth limiter, the token and the TLS/timeout options: the
// UploadQueue's ClientProvider for hoist's own protocol.
class HttpClientPool final {
  public:
    // `defaults.server` is ignored: each client gets the server it is asked for.
    HttpClientPool(QNetworkAccessManager& network, BandwidthLimiter* limiter,
                   HttpProtocolClient::Options defaults);

    HttpProtocolClient* clientFor(const QUrl& server);

  private:
    QNetworkAccessManager& m_network;
    BandwidthLimiter* m_limiter;
    HttpProtocolClient::Options m_defaults;
    QHash<QUrl, std::shared_ptr<HttpProtocolClient>> m_clients;
};

} // namespace hoist
