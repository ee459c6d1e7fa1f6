#include "server_watch.h"

#include "protocol_client.h"

#include <QNetworkInformation>
#include <QPointer>

#include <algorithm>

namespace hoist {

namespace {
// More drift than timer slack can explain.
constexpr qint64 kSleepDriftMs = 3000;
// A health check per server and half minute is nothing to a server, and soon enough
// for a status bar.
constexpr std::chrono::milliseconds kIdleInterval{30000};
} // namespace

ServerWatch::ServerWatch(std::chrono::milliseconds probeInterval, QObject* parent)
    : QObject(parent) {
    setProbeInterval(probeInterval);
    connect(&m_ticker, &QTimer::timeout, this, &ServerWatch::tick);
    setIdleInterval(kIdleInterval);
    connect(&m_idleTicker, &QTimer::timeout, this, &ServerWatch::idleTick);
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

void ServerWatch::setIdleInterval(std::chrono::milliseconds interval) {
    m_idleTicker.setInterval(std::max<qint64>(10, interval.count()));
}

void ServerWatch::track(const QList<Tracked>& servers) {
    bool changed = false;
    for (auto it = m_servers.begin(); it != m_servers.end();) {
        const bool wanted = std::any_of(servers.begin(), servers.end(),
                                        [&it](const Tracked& t) { return t.client == it.key(); });
        if (it->tracked && !wanted) {
            changed = true;
            it->tracked = false;
        }
        // A lost server stays: its waiting jobs' epoch lives here.
        it = it->tracked || it->lost ? std::next(it) : m_servers.erase(it);
    }
    for (const Tracked& wanted : servers) {
        Server& entry = m_servers[wanted.client];
        entry.url = wanted.server;
        if (!entry.tracked) {
            changed = true;
            entry.tracked = true;
            entry.trackedOrder = m_nextTrackedOrder++;
        }
    }
    if (servers.isEmpty())
        m_idleTicker.stop();
    else if (!m_idleTicker.isActive())
        m_idleTicker.start();
    if (changed)
        emit trackedChanged();
}

QList<ServerWatch::State> ServerWatch::trackedStates() const {
    QList<const Server*> tracked;
    for (const Server& entry : m_servers) {
        if (entry.tracked)
            tracked << &entry;
    }
    std::sort(tracked.begin(), tracked.end(),
              [](const Server* a, const Server* b) { return a->trackedOrder < b->trackedOrder; });
    QList<State> states;
    for (const Server* entry : tracked)
        states << State{entry->url, !entry->lost, entry->reason};
    return states;
}

quint64 ServerWatch::lost(ProtocolClient* client, const QUrl& server) {
    Server& entry = m_servers[client];
    entry.url = server;
    mark(entry, false);
    startTicker();
    return entry.epoch;
}

void ServerWatch::startTicker() {
    if (m_ticker.isActive())
        return;
    m_wallAtTick = QDateTime::currentMSecsSinceEpoch();
    m_monotonicAtTick = m_monotonic.elapsed();
    m_ticker.start();
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
    if (reachable) {
        ++server.epoch;
        server.reason.clear();
    }
    // Copies: a receiver may track other servers, which moves the entries.
    const QUrl url = server.url;
    const bool tracked = server.tracked;
    emit reachabilityChanged(url, reachable);
    if (tracked)
        emit trackedChanged();
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
        startProbe(it.key(), *it);
    }
    if (!anyLost)
        m_ticker.stop();
}

void ServerWatch::idleTick() {
    for (auto it = m_servers.begin(); it != m_servers.end(); ++it) {
        if (it->tracked && !it->lost && !it->probing)
            startProbe(it.key(), *it);
    }
}

void ServerWatch::startProbe(const ProtocolClient* client, Server& server) {
    server.probing = true;
    // Detached on purpose: probe() checks that the watch still lives after its co_await.
    [[maybe_unused]] QCoro::Task<> detached = probe(const_cast<ProtocolClient*>(client));
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
    if (health) {
        mark(*found, true);
        co_return;
    }
    const QString reason = health.error().describe();
    const bool reasonChanged = found->reason != reason;
    found->reason = reason;
    if (!found->lost) {
        // Only a tracked server is asked while it answers: nobody waits for it yet.
        mark(*found, false);
        startTicker();
    } else if (reasonChanged && found->tracked) {
        emit trackedChanged();
    }
}

} // namespace hoist
