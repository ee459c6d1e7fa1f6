#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QTcpServer>

#include <functional>

// A minimal application server for the finalization callback: records each POST and
// answers from a script (status and body per request; the last entry repeats) or from
// a responder that looks at the request. A scripted answer may also never come (Hang)
// or come a byte at a time, for ever (Trickle): what a broken or hostile application
// server does.
class StubAppServer final : public QObject {
    Q_OBJECT

  public:
    enum class Mode { Reply, Hang, Trickle };
    struct Answer {
        int status;
        QByteArray body;
        Mode mode = Mode::Reply;
    };
    struct Received {
        QMap<QByteArray, QByteArray> headers; // names lower-cased
        QByteArray body;
        qint64 receivedAtMs = 0; // since the epoch
    };

    using Responder = std::function<Answer(const Received&)>;

    explicit StubAppServer(QList<Answer> script);
    explicit StubAppServer(Responder responder);
    bool listen();
    QByteArray url() const;
    const QList<Received>& received() const { return m_received; }

  private:
    void serve(QTcpSocket* socket);
    void trickle(QTcpSocket* socket, const Answer& answer);
    QTcpServer m_server;
    Responder m_responder;
    QList<Received> m_received;
};
