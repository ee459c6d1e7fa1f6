#pragma once

#include "bandwidth_limiter.h"
#include "http_client_pool.h"
#include "queue_store.h"
#include "scheduler.h"
#include "server_watch.h"
#include "settings.h"
#include "share_links.h"
#include "upload_queue.h"

#include <QNetworkAccessManager>

namespace hoist {

// The whole client engine for one thread, wired from Settings: network access
// manager, shared bandwidth limiter, protocol clients, persisted queue and
// scheduler. The command line and the window both sit on one of these; a view
// adds a QueueModel over queue(). Members are declared so that the jobs die
// before the clients and the network they use.
class UploadEngine final {
  public:
    // `queueDirectory` holds queue.json (QueueStore::defaultDirectory() in the app).
    UploadEngine(const Settings& settings, QString queueDirectory);

    UploadQueue& queue() { return m_queue; }
    Scheduler& scheduler() { return m_scheduler; }
    ShareLinks& shareLinks() { return m_shareLinks; }
    BandwidthLimiter& limiter() { return m_limiter; }
    ServerWatch& serverWatch() { return m_watch; }
    const QueueStore& store() const { return m_store; }
    // False with the reason when the settings cannot work (an unreadable CA file).
    bool isConfigured(QString* reason = nullptr) const;

  private:
    QNetworkAccessManager m_network;
    BandwidthLimiter m_limiter;
    HttpClientPool m_clients;
    QueueStore m_store;
    ServerWatch m_watch;
    UploadQueue m_queue;
    Scheduler m_scheduler;
    ShareLinks m_shareLinks;
};

} // namespace hoist
