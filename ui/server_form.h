#pragma once

#include <QWidget>

#include "protocol.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace hoist {

// The server part of both the first-run and the settings dialog: address, the
// protocol it speaks (hoistd's own or tus), token, an optional CA file for a self-signed server,
// and "Test connection" with its result in words.
class ServerForm final : public QWidget {
    Q_OBJECT
  public:
    explicit ServerForm(QWidget* parent = nullptr);

    QUrl serverUrl() const;
    void setServerUrl(const QUrl& url);
    Protocol protocol() const;
    void setProtocol(Protocol protocol);
    void setProtocolVisible(bool visible);
    QString token() const;
    void setToken(const QString& token);
    QString caFile() const;
    void setCaFile(const QString& path);
    void setCaFileVisible(bool visible);

    // Runs the check; testFinished() follows (also used by tests).
    void testConnection();
    QString testResult() const;

  signals:
    void testFinished(bool ok);

  private:
    void chooseCaFile();

    QLineEdit* m_url;
    QComboBox* m_protocol;
    QLabel* m_protocolLabel;
    QLineEdit* m_token;
    QLineEdit* m_caFile;
    QWidget* m_caRow;
    QLabel* m_caLabel;
    QPushButton* m_test;
    QLabel* m_result;
};

} // namespace hoist
