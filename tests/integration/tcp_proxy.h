#pragma once

#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

// A loopback TCP proxy in front of hoistd that counts the bytes clients send and
// injects faults: the connection that carries the client byte past a threshold
// (counted over all connections) is cut, or stalled (held open, nothing
// forwarded). Thresholds count the proxy's whole traffic, not one connection's,
// so a fault cannot be lost on a connection the client or server chose to close
// early (a probe, a keep-alive timeout).
class TcpProxy final : public QObject {
    Q_OBJECT
  public:
    enum class Fault { Cut, Stall };

    explicit TcpProxy(quint16 targetPort, QObject* parent = nullptr);

    bool listen();
    QUrl url() const;
    // Where new connections go (a restarted hoistd listens on a new port).
    void setTargetPort(quint16 port) { m_targetPort = port; }

    void injectFault(Fault fault, qint64 afterClientBytes);
    int pendingFaults() const { return static_cast<int>(m_faults.size()); }
    int faultsTriggered() const { return m_triggered; }
    // Client bytes forwarded to hoistd, over all connections.
    qint64 bytesForwarded() const { return m_forwarded; }

  private:
    struct PendingFault {
        Fault fault;
        qint64 after;
    };
    void accept();
    void relay(QTcpSocket* client, QTcpSocket* upstream);

    QTcpServer m_server;
    quint16 m_targetPort;
    QList<PendingFault> m_faults;
    int m_triggered = 0;
    qint64 m_forwarded = 0;
};
