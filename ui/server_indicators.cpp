#include "server_indicators.h"

#include "server_watch.h"

#include <QHBoxLayout>
#include <QLabel>

namespace hoist {

namespace {

const char* const kServerProperty = "hoistServer";

QString shortName(const QUrl& server) {
    return server
        .toDisplayString(QUrl::RemoveScheme | QUrl::RemoveUserInfo | QUrl::StripTrailingSlash)
        .mid(2); // "//host:port"
}

} // namespace

ServerIndicators::ServerIndicators(QWidget* parent)
    : QWidget(parent), m_layout(new QHBoxLayout(this)) {
    m_layout->setContentsMargins(0, 0, 0, 0);
}

void ServerIndicators::setWatch(ServerWatch* watch) {
    if (m_watch)
        disconnect(m_watch, nullptr, this, nullptr);
    m_watch = watch;
    if (m_watch)
        connect(m_watch, &ServerWatch::trackedChanged, this, &ServerIndicators::refresh);
    refresh();
}

QString ServerIndicators::textFor(const QUrl& server) const {
    for (const QLabel* label : findChildren<QLabel*>()) {
        if (label->property(kServerProperty).toUrl() == server)
            return label->text();
    }
    return {};
}

void ServerIndicators::refresh() {
    while (QLayoutItem* item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QList<ServerWatch::State> states =
        m_watch ? m_watch->trackedStates() : QList<ServerWatch::State>{};
    // One server is the usual case and the window title names it; its state still
    // matters, so it is shown too.
    for (const ServerWatch::State& state : states) {
        const QString name = shortName(state.server);
        auto* label = new QLabel(this);
        label->setProperty(kServerProperty, state.server);
        if (state.reachable) {
            label->setText(tr("● %1: reachable").arg(name));
            label->setToolTip(tr("%1 answers.").arg(state.server.toDisplayString()));
        } else {
            const QString reason = state.reason.isEmpty() ? tr("not answering") : state.reason;
            label->setText(tr("○ %1: waiting — %2").arg(name, reason));
            label->setToolTip(tr("%1 does not answer (%2). Its uploads continue on their own "
                                 "once it does.")
                                  .arg(state.server.toDisplayString(), reason));
        }
        m_layout->addWidget(label);
    }
    setVisible(!states.isEmpty());
}

} // namespace hoist
