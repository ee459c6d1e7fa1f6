#include "upload_engine.h"

namespace hoist {

UploadEngine::UploadEngine(const Settings& settings, QString queueDirectory)
    : m_limiter(settings.bandwidthLimit), m_clients(m_network, &m_limiter, settings),
      m_store(std::move(queueDirectory)), m_watch(settings.retry.probeInterval),
      m_queue(m_clients, &m_store), m_scheduler(m_queue, settings.maxConcurrent),
      m_shareLinks(m_queue, m_clients) {
    m_queue.setServerWatch(&m_watch);
    m_queue.setRetryPolicy(settings.retry);
    m_queue.setParallelChunks(settings.parallelChunks);
}

bool UploadEngine::isConfigured(QString* reason) const {
    return m_clients.isConfigured(reason);
}

} // namespace hoist
