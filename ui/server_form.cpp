#include "server_form.h"

#include "probe_presentation.h"
#include "server_probe.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>

namespace hoist {

ServerForm::ServerForm(QWidget* parent)
    : QWidget(parent), m_url(new QLineEdit(this)), m_protocol(new QComboBox(this)),
      m_protocolLabel(new QLabel(tr("&Protocol:"), this)), m_token(new QLineEdit(this)),
      m_caFile(new QLineEdit(this)), m_caRow(new QWidget(this)),
      m_caLabel(new QLabel(tr("CA certificate:"), this)),
      m_test(new QPushButton(tr("&Test connection"), this)), m_result(new QLabel(this)) {
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080"));
    m_url->setClearButtonEnabled(true);
    m_protocol->addItem(tr("hoistd (its own protocol)"), protocolName(Protocol::Native));
    m_protocol->addItem(tr("tus 1.0.0 (any tus server; no duplicate check)"),
                        protocolName(Protocol::Tus));
    m_protocol->setToolTip(tr("For tus, the address is the server's upload (creation) URL, "
                              "e.g. https://example.org/files/"));
    m_protocolLabel->setBuddy(m_protocol);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("Bearer token from the server's administrator"));
    QAction* reveal = m_token->addAction(QIcon::fromTheme(QStringLiteral("view-visible")),
                                         QLineEdit::TrailingPosition);
    reveal->setCheckable(true);
    reveal->setToolTip(tr("Show the token"));
    connect(reveal, &QAction::toggled, this, [this](bool shown) {
        m_token->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    });
    m_caFile->setPlaceholderText(tr("Optional: PEM file for a self-signed server"));
    auto* browse = new QPushButton(tr("Browse…"), m_caRow);
    connect(browse, &QPushButton::clicked, this, &ServerForm::chooseCaFile);
    auto* caLayout = new QHBoxLayout(m_caRow);
    caLayout->setContentsMargins(0, 0, 0, 0);
    caLayout->addWidget(m_caFile);
    caLayout->addWidget(browse);

    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_test, &QPushButton::clicked, this, &ServerForm::testConnection);
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(m_test, 0, Qt::AlignTop);
    testRow->addWidget(m_result, 1);

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Server:"), m_url);
    form->addRow(m_protocolLabel, m_protocol);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(m_caLabel, m_caRow);
    form->addRow(testRow);
}

QUrl ServerForm::serverUrl() const {
    return QUrl::fromUserInput(m_url->text().trimmed());
}
void ServerForm::setServerUrl(const QUrl& url) {
    m_url->setText(url.toString());
}
Protocol ServerForm::protocol() const {
    return protocolFromName(m_protocol->currentData().toString()).value_or(Protocol::Native);
}
void ServerForm::setProtocol(Protocol protocol) {
    m_protocol->setCurrentIndex(m_protocol->findData(protocolName(protocol)));
}
void ServerForm::setProtocolVisible(bool visible) {
    m_protocolLabel->setVisible(visible);
    m_protocol->setVisible(visible);
}
QString ServerForm::token() const {
    return m_token->text().trimmed();
}
void ServerForm::setToken(const QString& token) {
    m_token->setText(token);
}
QString ServerForm::caFile() const {
    return m_caFile->text().trimmed();
}
void ServerForm::setCaFile(const QString& path) {
    m_caFile->setText(path);
}
QString ServerForm::testResult() const {
    return m_result->text();
}

void ServerForm::setCaFileVisible(bool visible) {
    m_caLabel->setVisible(visible);
    m_caRow->setVisible(visible);
}

void ServerForm::chooseCaFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("CA certificate"), caFile(), tr("PEM certificates (*.pem *.crt);;All files (*)"));
    if (!path.isEmpty())
        m_caFile->setText(path);
}

void ServerForm::testConnection() {
    m_test->setEnabled(false);
    m_result->setText(tr("Testing…"));
    QPointer<ServerForm> self(this);
    const QUrl server = serverUrl();
    const Protocol spoken = protocol();
    ServerProbe::check(server, token(), caFile(), spoken).then([self, server, spoken](auto report) {
        if (!self)
            return;
        self->m_test->setEnabled(true);
        self->m_result->setText(probeSentence(report, server, spoken));
        emit self->testFinished(report.ok());
    });
}

} // namespace hoist
