#include "http_client_pool.h"

#include "http_protocol_client.h"
#include "tus_protocol_client.h"

#include <QSslCertificate>

namespace hoist {

HttpClientPool::HttpClientPool(QNetworkAccessManager& network, BandwidthLimiter* limiter,
                               const Settings& settings)
    : m_network(network), m_limiter(limiter), m_token(settings.token),
      m_transferTimeout(settings.transferTimeout),
      m_ssl(QSslConfiguration::defaultConfiguration()) {
    if (settings.caFile.isEmpty())
        return;
    const QList<QSslCertificate> certificates =
        QSslCertificate::fromPath(settings.caFile, QSsl::Pem);
    if (certificates.isEmpty())
        m_caError = QStringLiteral("no PEM certificate in %1").arg(settings.caFile);
    else
        m_ssl.addCaCertificates(certificates);
}

bool HttpClientPool::isConfigured(QString* reason) const {
    if (reason)
        *reason = m_caError;
    return m_caError.isEmpty();
}

ProtocolClient* HttpClientPool::clientFor(const QUrl& server, Protocol protocol) {
    auto& client = m_clients[qMakePair(server, protocol)];
    if (!client)
        client = makeClient(server, protocol);
    return client.get();
}

std::unique_ptr<ProtocolClient> HttpClientPool::makeClient(const QUrl& server,
                                                           Protocol protocol) const {
    const HttpTransport::Options options{server, m_token, m_ssl, m_transferTimeout};
    switch (protocol) {
    case Protocol::Native:
        return std::make_unique<HttpProtocolClient>(m_network, options, m_limiter);
    case Protocol::Tus:
        return std::make_unique<TusProtocolClient>(m_network, options, m_limiter);
    }
    Q_UNREACHABLE();
}

} // namespace hoist
