#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <QCoroTask>

#include <chrono>

namespace hoist {

class ProtocolClient;

// Which servers answer. Once a job cannot reach its server, the server's health
// check (no token, changes nothing) is asked every probe interval until it answers;
// at once when the system reports the network back (QNetworkInformation) or the
// machine wakes from sleep. Every answer after an outage bumps the server's epoch:
// jobs backing off compare it with the one they started waiting at, so they resume
// within seconds of the server's return however long their backoff. Servers are
// known by their ProtocolClient, which must outlive the watch.
//
// The servers that have jobs are tracked: asked every idle interval while they answer
// too, so that the window shows a server that went away while nothing talked to it.
class ServerWatch final : public QObject {
    Q_OBJECT
  public:
    struct Tracked {
        ProtocolClient* client = nullptr;
        QUrl server;
    };
    struct State {
        QUrl server;
        bool reachable = true;
        QString reason; // why the last health check failed; empty while it answers
    };

    explicit ServerWatch(std::chrono::milliseconds probeInterval, QObject* parent = nullptr);

    void setProbeInterval(std::chrono::milliseconds interval);
    void setIdleInterval(std::chrono::milliseconds interval);
    // The servers that have jobs now; the others are no longer asked while they answer.
    void track(const QList<Tracked>& servers);
    // The tracked servers, in the order first tracked.
    QList<State> trackedStates() const;
    // A job could not reach `server` through `client`: probe it until it answers.
    // Answers the server's epoch as of now.
    quint64 lost(ProtocolClient* client, const QUrl& server);
    // A request to `server` through `client` was answered.
    void answered(ProtocolClient* client, const QUrl& server);
    quint64 epoch(const ProtocolClient* client) const;
    // False while a server it heard of does not answer; true for one it never heard of.
    bool isReachable(const QUrl& server) const;
    // Asks every lost server now (the network came back, the machine woke).
    void probeNow();

  signals:
    void reachabilityChanged(const QUrl& server, bool reachable);
    // What trackedStates() answers changed.
    void trackedChanged();

  private:
    struct Server {
        QUrl url;
        quint64 epoch = 0;
        bool lost = false;
        bool probing = false;
        bool tracked = false;
        quint64 trackedOrder = 0;
        QString reason;
    };

    void tick();
    void idleTick();
    void startTicker();
    void mark(Server& server, bool reachable);
    void startProbe(const ProtocolClient* client, Server& server);
    QCoro::Task<> probe(ProtocolClient* client);

    QHash<const ProtocolClient*, Server> m_servers;
    quint64 m_nextTrackedOrder = 0;
    QTimer m_ticker;
    QTimer m_idleTicker;
    // A wall clock that ran ahead of the monotonic one between two ticks means the
    // machine slept (the monotonic clock stands still in suspend).
    QElapsedTimer m_monotonic;
    qint64 m_wallAtTick = 0;
    qint64 m_monotonicAtTick = 0;
};

} // namespace hoist
