#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QTcpServer>

// A minimal application server for the finalization callback: records each POST and
// answers from a script (status and body per request; the last entry repeats).
class StubAppServer final : public QObject {
    Q_OBJECT

  public:
    struct Answer {
        int status;
        QByteArray body;
    };
    struct Received {
        QMap<QByteArray, QByteArray> headers; // names lower-cased
        QByteArray body;
    };

    explicit StubAppServer(QList<Answer> script);
    bool listen();
    QByteArray url() const;
    const QList<Received>& received() const { return m_received; }

  private:
    void serve(QTcpSocket* socket);
    QTcpServer m_server;
    QList<Answer> m_script;
    QList<Received> m_received;
};
