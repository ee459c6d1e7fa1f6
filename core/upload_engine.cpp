#include "upload_engine.h"

namespace hoist {

namespace {

HttpProtocolClient::Options clientOptions(const Settings& settings) {
    HttpProtocolClient::Options options;
    options.server = settings.serverUrl;
    options.token = settings.token;
    options.caFile = settings.caFile;
    options.transferTimeout = settings.transferTimeout;
    return options;
}

} // namespace

UploadEngine::UploadEngine(const Settings& settings, QString queueDirectory)
    : m_settings(settings), m_limiter(settings.bandwidthLimit),
      m_clients(m_network, &m_limiter, clientOptions(settings)), m_store(std::move(queueDirectory)),
      m_queue([this](const QUrl& server) { return m_clients.clientFor(server); }, &m_store),
      m_scheduler(m_queue, settings.maxConcurrent) {
    m_queue.setRetryDelays(settings.retryDelays);
}

bool UploadEngine::isConfigured(QString* reason) {
    return m_clients.clientFor(m_settings.serverUrl)->isConfigured(reason);
}

} // namespace hoist
