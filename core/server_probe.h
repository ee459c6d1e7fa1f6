#pragma once

#include "protocol.h"
#include "protocol_error.h"

#include <QString>
#include <QUrl>

#include <QCoroTask>

namespace hoist {

class ProtocolClient;

// "Is this server usable with this token?": the server's health check (no token),
// then one authenticated request that changes nothing. It decides what the answers
// mean; the UI only puts the Report into words.
//
// The authenticated request is the status of a random session id: every protocol
// client has one (hoist's GET /upload/{id}, tus's HEAD), it needs the token before
// the server looks the id up, and a fresh v4 UUID names no session, so 404 means the
// token was accepted. Listing files would need a new call that tus has no match
// for, and would read a whole library for nothing.
class ServerProbe final {
  public:
    struct Report {
        enum class Outcome {
            Ready,          // the server is up and accepted the token
            InvalidAddress, // not an http(s) address with a host
            UnusableCaFile, // `detail` says why
            Unreachable,    // no answer at all: `error`
            NotAServer,     // something answered, but not a server of the protocol: `error`
            NoToken,        // the server is up; there is no token to check
            TokenRefused,   // the server is up and refused the token
            RequestFailed,  // the server is up; the authenticated request failed: `error`
        };
        Outcome outcome = Outcome::Unreachable;
        ProtocolError error;
        QString detail;

        bool ok() const { return outcome == Outcome::Ready; }
    };

    // Probes through `client`, which must outlive the returned task.
    explicit ServerProbe(ProtocolClient& client);
    QCoro::Task<Report> run(bool haveToken);

    // The settings dialog's check, with the engine's own clients (CA loading, URLs)
    // over a network access of its own, so the caller may go away meanwhile (it must
    // then not touch itself after the co_await).
    static QCoro::Task<Report> check(QUrl server, QString token, QString caFile,
                                     Protocol protocol = Protocol::Native);

  private:
    ProtocolClient& m_client;
};

} // namespace hoist
