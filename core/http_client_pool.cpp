#include "http_client_pool.h"

namespace hoist {

HttpClientPool::HttpClientPool(QNetworkAccessManager& network, BandwidthLimiter* limiter,
                               HttpProtocolClient::Options defaults)
    : m_network(network), m_limiter(limiter), m_defaults(std::move(defaults)) {}

HttpProtocolClient* HttpClientPool::clientFor(const QUrl& server) {
    auto& client = m_clients[server];
    if (!client) {
        HttpProtocolClient::Options options = m_defaults;
        options.server = server;
        client = std::make_shared<HttpProtocolClient>(m_network, options, m_limiter);
    }
    return client.get();
}

} // namespace hoist
