from email.message import EmailMessage

from webapp import mail


def test_a_message_sent_by_webapp_mail_arrives_at_the_sink(app, smtp_server):
    assert app.config["SMTP_URL"] == smtp_server.url
    msg = EmailMessage()
    msg["From"] = app.config["MAIL_FROM"]
    msg["To"] = "runner@example.com"
    msg["Subject"] = "Hello"
    msg.set_content("Body text")
    mail.send(app.config["SMTP_URL"], msg)
    assert len(smtp_server.messages) == 1
    received = smtp_server.to("runner@example.com")[0]
    assert received["Subject"] == "Hello"
    assert received.get_content().strip() == "Body text"
    assert smtp_server.to("someone@else.example") == []
