#include "server_watch.h"

#include "protocol_client.h"

#include <QNetworkInformation>
#include <QPointer>

namespace hoist {

namespace {
// More drift than timer slack can explain.
constexpr qint64 kSleepDriftMs = 3000;
} // namespace

ServerWatch::ServerWatch(std::chrono::milliseconds probeInterval, QObject* parent)
    : QObject(parent) {
    setProbeInterval(probeInterval);
    connect(&m_ticker, &QTimer::timeout, this, &ServerWatch::tick);
    m_monotonic.start();
    // Without a backend (a container, a test) the ticker alone notices the return.
    if (QNetworkInformation::loadDefaultBackend()) {
        if (QNetworkInformation* info = QNetworkInformation::instance()) {
            connect(info, &QNetworkInformation::reachabilityChanged, this,
                    [this](QNetworkInformation::Reachability reachability) {
                        if (reachability != QNetworkInformation::Reachability::Disconnected)
                            probeNow();
                    });
        }
    }
}

void ServerWatch::setProbeInterval(std::chrono::milliseconds interval) {
    m_ticker.setInterval(std::max<qint64>(10, interval.count()));
}

quint64 ServerWatch::lost(ProtocolClient* client, const QUrl& server) {
    Server& entry = m_servers[client];
    entry.url = server;
    mark(entry, false);
    if (!m_ticker.isActive()) {
        m_wallAtTick = QDateTime::currentMSecsSinceEpoch();
        m_monotonicAtTick = m_monotonic.elapsed();
        m_ticker.start();
    }
    return entry.epoch;
}

void ServerWatch::answered(ProtocolClient* client, const QUrl& server) {
    const auto found = m_servers.find(client);
    if (found == m_servers.end() || !found->lost)
        return;
    found->url = server;
    mark(*found, true);
}

quint64 ServerWatch::epoch(const ProtocolClient* client) const {
    return m_servers.value(client).epoch;
}

bool ServerWatch::isReachable(const QUrl& server) const {
    for (const Server& entry : m_servers) {
        if (entry.url == server && entry.lost)
            return false;
    }
    return true;
}

void ServerWatch::mark(Server& server, bool reachable) {
    if (server.lost == !reachable)
        return;
    server.lost = !reachable;
    if (reachable)
        ++server.epoch;
    emit reachabilityChanged(server.url, reachable);
}

void ServerWatch::tick() {
    const qint64 wall = QDateTime::currentMSecsSinceEpoch();
    const qint64 monotonic = m_monotonic.elapsed();
    const bool woke = (wall - m_wallAtTick) - (monotonic - m_monotonicAtTick) > kSleepDriftMs;
    m_wallAtTick = wall;
    m_monotonicAtTick = monotonic;
    if (woke) {
        // Whatever was in flight when the machine slept will not answer: ask again.
        for (Server& entry : m_servers)
            entry.probing = false;
    }
    probeNow();
}

void ServerWatch::probeNow() {
    bool anyLost = false;
    for (auto it = m_servers.begin(); it != m_servers.end(); ++it) {
        if (!it->lost)
            continue;
        anyLost = true;
        if (it->probing)
            continue;
        it->probing = true;
        // Detached on purpose: probe() checks that the watch still lives after its co_await.
        [[maybe_unused]] QCoro::Task<> detached = probe(const_cast<ProtocolClient*>(it.key()));
    }
    if (!anyLost)
        m_ticker.stop();
}

QCoro::Task<> ServerWatch::probe(ProtocolClient* client) {
    const QPointer<ServerWatch> self(this);
    const auto health = co_await client->checkHealth();
    if (!self)
        co_return;
    const auto found = m_servers.find(client);
    if (found == m_servers.end())
        co_return;
    found->probing = false;
    if (health)
        mark(*found, true);
}

} // namespace hoist
