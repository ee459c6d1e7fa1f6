#include "probe_presentation.h"

#include <QCoreApplication>

namespace hoist {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("ServerProbe", text);
}

} // namespace

QString probeSentence(const ServerProbe::Report& report, const QUrl& server, Protocol protocol) {
    using Outcome = ServerProbe::Report::Outcome;
    switch (report.outcome) {
    case Outcome::Ready:
        return tr("Connected: the server is up and accepted the token.");
    case Outcome::InvalidAddress:
        return tr("Enter a server address such as http://127.0.0.1:8080.");
    case Outcome::UnusableCaFile:
        return tr("The CA file cannot be used: %1.").arg(report.detail);
    case Outcome::Unreachable:
        return tr("Cannot reach %1: %2.").arg(server.toDisplayString(), report.error.describe());
    case Outcome::NotAServer:
        return (protocol == Protocol::Tus
                    ? tr("%1 answered a tus OPTIONS request with %2: is this a tus server's "
                         "upload address?")
                    : tr("%1 answered a health check with %2: is this a hoistd server?"))
            .arg(server.toDisplayString(), report.error.describe());
    case Outcome::NoToken:
        return tr("The server is up. Enter a token to check it too.");
    case Outcome::TokenRefused:
        return tr("The server is up, but it refused the token.");
    case Outcome::RequestFailed:
        return tr("The server is up, but a request with the token failed: %1.")
            .arg(report.error.describe());
    }
    return {};
}

} // namespace hoist
