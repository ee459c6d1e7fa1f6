#pragma once

#include <QString>
#include <QUrl>

#include <QCoroTask>

namespace hoist {

// "Test connection": asks the server's /healthz (no token), then makes one
// authenticated request through the engine's own protocol client, and sums the
// result up in a sentence for a person.
class ConnectionTester final {
  public:
    struct Report {
        bool ok = false;
        QString text;
    };

    // Self-contained: owns its network access for the duration, so the caller
    // may go away meanwhile (it must then not touch itself after the co_await).
    static QCoro::Task<Report> check(QUrl server, QString token, QString caFile);
};

} // namespace hoist
