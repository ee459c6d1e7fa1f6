#include "first_run_dialog.h"

#include "configuration.h"
#include "server_form.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFutureWatcher>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace hoist {

namespace {

// Runs on a worker thread; an empty answer when there is no readable token.
QString readDevToken(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.read(4096)).trimmed();
}

} // namespace

FirstRunDialog::FirstRunDialog(QString devTokenFile, QWidget* parent)
    : QDialog(parent), m_server(new ServerForm(this)),
      m_useDevToken(new QPushButton(tr("Use the local server's &development token"), this)) {
    setWindowTitle(tr("Welcome to Hoist"));
    auto* intro = new QLabel(
        tr("<p><b>Hoist uploads your files to a hoistd server</b>, resumably: a paused or "
           "interrupted upload continues where the server left off.</p>"
           "<p>Which server should it use? The address below is the one <code>hoistd</code> "
           "serves on this computer when started without options. Ask your administrator for "
           "the address and token of a shared server.</p>"),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    m_server->setServerUrl(localServer());
    m_server->setCaFileVisible(false);
    // The first run sets up a hoistd server; a tus server is chosen in the settings.
    m_server->setProtocolVisible(false);
    m_useDevToken->setVisible(false);
    m_useDevToken->setToolTip(devTokenFile);
    connect(m_useDevToken, &QPushButton::clicked, this, [this] {
        m_server->setServerUrl(localServer());
        m_server->setToken(m_devToken);
    });

    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        m_devToken = watcher->result();
        m_useDevToken->setVisible(!m_devToken.isEmpty());
    });
    watcher->setFuture(QtConcurrent::run(readDevToken, std::move(devTokenFile)));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_server);
    layout->addWidget(m_useDevToken, 0, Qt::AlignLeft);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

bool FirstRunDialog::runIfNeeded(Configuration& configuration, const QString& devTokenFile) {
    if (configuration.hasServer())
        return true;
    FirstRunDialog dialog(devTokenFile);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    Settings settings = configuration.settings();
    settings.serverUrl = dialog.serverUrl();
    settings.token = dialog.token();
    QCoro::waitFor(configuration.update(settings, configuration.preferences()));
    return true;
}

QString FirstRunDialog::defaultDevTokenFile() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/hoistd/dev-token");
}

QUrl FirstRunDialog::localServer() {
    return QUrl(QStringLiteral("http://127.0.0.1:8080"));
}

QUrl FirstRunDialog::serverUrl() const {
    return m_server->serverUrl();
}
QString FirstRunDialog::token() const {
    return m_server->token();
}

} // namespace hoist
