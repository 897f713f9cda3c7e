"""Deutsche Texte: jedes Wort, das der Bot zeigt, unter demselben Schlüssel wie im Englischen.

Eine Einheit, wie lang sie auch wird: der Katalog einer Sprache, in einer Datei, damit Übersetzer alles sehen.
"""

MESSAGES: dict[str, str] = {
    # Wörter, die an mehreren Stellen vorkommen.
    "complaint": "Reklamation",
    "status.unclaimed": "nicht übernommen",
    "status.owned": "in Bearbeitung",
    "status.resolved": "erledigt",
    "severity.high": "hoch",
    "severity.normal": "normal",
    "severity.low": "niedrig",
    "category.product": "Produkt",
    "category.delivery": "Lieferung",
    "category.billing": "Rechnung",
    "category.service": "Service",
    "category.other": "Sonstiges",
    "nobody": "niemand",
    "none": "—",
    "and_more": "… und {count} weitere",
    # Die Karte.
    "card.title": "Reklamation #{number}",
    "card.fallback": "Reklamation #{number} ({status}): {summary}",
    "card.customer": "Kunde",
    "card.reporter": "Gemeldet von",
    "card.severity": "Dringlichkeit",
    "card.status": "Status",
    "card.owner": "Zuständig",
    "card.category": "Kategorie",
    "card.filed": "Eingegangen",
    "card.details": "Details",
    "card.how_to_claim": (
        "Wer sich darum kümmert, reagiert mit :{emoji}: und übernimmt die Reklamation. Erledigt wird sie dann mit "
        ":{resolve_emoji}: oder über „Erledigen“."
    ),
    "card.hint.owned": (
        "Wer zuständig ist, erledigt sie mit :{resolve_emoji}: oder über „Erledigen“ oder gibt sie über „Übergeben“ "
        "weiter."
    ),
    "card.hint.resolved": (
        "Erledigt. Braucht der Kunde noch etwas, kann sie wieder öffnen, wer sie gemeldet hat oder zuletzt zuständig "
        "war."
    ),
    "card.handover_proposed": (
        "Übergabe an <@{user}> vorgeschlagen: Mit einer Reaktion :{emoji}: übernimmt <@{user}> die Reklamation."
    ),
    "card.resolution": "Lösung",
    "card.history_customer": (
        "Von diesem Kunden gibt es schon {earlier} Reklamationen, davon {open} offen. Die letzte: {link}"
    ),
    "card.cut": "(hier gekürzt; der ganze Text ist bei der Reklamation gespeichert)",
    "button.resolve": "Erledigen",
    "button.handover": "Übergeben",
    "button.history": "Verlauf",
    "button.reopen": "Wieder öffnen",
    "button.open_thread": "Zum Thread",
    # Erfassen.
    "file.ack": (
        "Als #{number} erfasst. Die Karte kommt in <#{channel}>, alle weiteren Schritte folgen in ihrem Thread. Kann "
        "ich sie dort nicht posten, sage ich dir Bescheid."
    ),
    "file.ack_pending": (
        "Als #{number} erfasst. Die Karte erscheint gleich in <#{channel}>. Kann ich sie dort nicht posten, sage ich "
        "dir Bescheid."
    ),
    "file.redirected": (
        "Ich bin nicht in <#{wanted}>, deshalb steht die Karte von #{number} in <#{channel}>. Damit Karten in "
        "<#{wanted}> erscheinen, lade mich dort ein: `/invite @Complaint Desk`."
    ),
    "file.redirected_shared": (
        "<#{wanted}> ist mit einer anderen Organisation geteilt, deshalb steht die Karte von #{number} in "
        "<#{channel}>, wo nur deine eigenen Kolleginnen und Kollegen sie sehen."
    ),
    "file.no_card": (
        "#{number} ist erfasst, aber ich bin nicht in <#{wanted}>, deshalb kann ihre Karte erst erscheinen, wenn du "
        "mich dort einlädst: `/invite @Complaint Desk`. Sobald ich drin bin, erscheint sie."
    ),
    "file.no_card_shared": (
        "#{number} ist erfasst, aber <#{wanted}> ist mit einer anderen Organisation geteilt, und für ihre Karte ist "
        "kein interner Kanal eingerichtet. Bitte jemanden aus der Administration, `channels.fallback` zu setzen."
    ),
    "file.not_saved": (
        "Die Reklamation konnte gerade nicht gespeichert werden und ist daher nicht erfasst. Versuch es bitte in einer "
        "Minute noch einmal."
    ),
    "file.empty": (
        "Beschreib die Reklamation bitte kurz, zum Beispiel `/complaint Müller GmbH: falsche Teile bekommen`. Nur "
        "`/complaint` ohne Text öffnet ein Formular."
    ),
    "file.nowhere": (
        "In diesem Kanal kann ich nicht schreiben, und es ist kein Ausweichkanal eingestellt. Lade mich bitte ein "
        "(`/invite @Complaint Desk`) oder lass die Administration `channels.fallback` einstellen."
    ),
    "modal.new.title": "Neue Reklamation",
    "modal.new.submit": "Erfassen",
    "modal.close": "Abbrechen",
    "modal.customer": "Kunde",
    "modal.customer.placeholder": "Wer hat reklamiert?",
    "modal.summary": "Kurzbeschreibung",
    "modal.summary.placeholder": "Was ist das Problem? (eine Zeile)",
    "modal.details": "Details",
    "modal.details.placeholder": "Auftragsnummern, was der Kunde gesagt hat, was schon versucht wurde",
    "modal.severity": "Dringlichkeit",
    "modal.category": "Kategorie",
    "modal.attachments": "Fotos und Dokumente",
    "modal.attachments.hint": (
        "Bis zu 10 Dateien mit je bis zu 10 MB: Fotos vom Schaden, die E-Mail des Kunden, Lieferscheine. Alles kommt "
        "in den Thread der Reklamation."
    ),
    "modal.error.summary_required": "Bitte gib eine Kurzbeschreibung an.",
    "modal.error.too_long": "Bitte höchstens {limit} Zeichen.",
    "modal.error.unknown_choice": "Bitte wähle einen der angebotenen Einträge.",
    # Übernehmen und abgeben.
    "thread.filed": "<@{user}> hat diese Reklamation erfasst. Wer sie übernimmt, reagiert auf der Karte mit :{emoji}:.",
    "thread.claimed": "<@{user}> hat die Reklamation übernommen und ist jetzt zuständig.",
    "thread.released": (
        "<@{user}> hat die Reklamation abgegeben. Wer sie jetzt übernimmt, reagiert auf der Karte mit :{emoji}:."
    ),
    "claim.owned_by_other": (
        "Für #{number} ist schon <@{owner}> zuständig. Reklamationen werden übernommen, nicht zugeschoben: Bitte "
        "<@{owner}>, dich über „Übergeben“ vorzuschlagen, und reagiere dann noch einmal mit :{emoji}:."
    ),
    "claim.resolved": (
        "#{number} ist schon erledigt. Wer sie gemeldet hat oder zuletzt zuständig war, kann sie auf der Karte wieder "
        "öffnen."
    ),
    # Übergabe.
    "modal.handover.title": "#{number} übergeben",
    "modal.handover.submit": "Vorschlagen",
    "modal.handover.user": "Wer soll übernehmen?",
    "modal.handover.note": "Ein paar Worte dazu (optional)",
    "modal.error.pick_person": "Bitte wähle eine Person aus.",
    "modal.error.handover_self": "Du bist schon zuständig. Wähle bitte jemand anderen.",
    "modal.error.handover_bot": "Bitte wähle eine Person aus, keine App.",
    "thread.handover": (
        "<@{owner}> schlägt vor, dass <@{user}> die Reklamation übernimmt. <@{user}>, wenn du einverstanden bist, "
        "reagiere auf der Karte mit :{emoji}:. Bis dahin bleibt <@{owner}> zuständig."
    ),
    "thread.handover_note": (
        "<@{owner}> schlägt vor, dass <@{user}> die Reklamation übernimmt: {note}\n<@{user}>, wenn du einverstanden "
        "bist, reagiere auf der Karte mit :{emoji}:. Bis dahin bleibt <@{owner}> zuständig."
    ),
    "handover.only_owner": "Nur wer für #{number} zuständig ist, kann sie übergeben.",
    "handover.unclaimed": (
        "Für #{number} ist noch niemand zuständig. Wenn du sie selbst übernehmen willst, reagiere auf der Karte mit "
        ":{emoji}:."
    ),
    # Erledigen und wieder öffnen.
    "modal.resolve.title": "#{number} erledigen",
    "modal.resolve.submit": "Erledigen",
    "modal.resolve.note": "Wie wurde die Reklamation gelöst?",
    "modal.resolve.note.placeholder": "Was wurde getan, was wurde dem Kunden gesagt?",
    "modal.error.note_required": "Bitte beschreib kurz, wie die Reklamation gelöst wurde.",
    "resolve.only_owner": "#{number} kann nur die zuständige Person erledigen: <@{owner}>.",
    "resolve.unclaimed": (
        "Für #{number} ist noch niemand zuständig. Übernimm sie zuerst mit :{emoji}:, dann kannst du sie erledigen."
    ),
    "resolve.already": "#{number} ist schon erledigt.",
    "resolve.default_note": "mit :{emoji}: erledigt",
    "thread.resolved": "<@{user}> hat die Reklamation erledigt: {note}",
    "modal.reopen.title": "#{number} wieder öffnen",
    "modal.reopen.submit": "Wieder öffnen",
    "modal.reopen.reason": "Warum ist noch etwas zu tun?",
    "modal.error.reason_required": "Bitte gib einen Grund an.",
    "reopen.not_allowed": "Nur wer #{number} gemeldet hat oder zuletzt zuständig war, kann sie wieder öffnen.",
    "reopen.not_resolved": "#{number} ist noch offen.",
    "thread.reopened": (
        "<@{user}> hat die Reklamation wieder geöffnet: {reason}\nJetzt muss sie wieder jemand übernehmen: einfach auf "
        "der Karte mit :{emoji}: reagieren."
    ),
    # Zusammenfassung für die Geschäftsleitung.
    "summary.resolved.title": "Erledigt: Reklamation #{number}",
    "summary.resolved.fallback": "Reklamation #{number} von <@{owner}> erledigt: {summary}",
    "summary.channel": "Kanal",
    "summary.time_to_claim": "Zeit bis zur Übernahme",
    "summary.time_to_resolve": "Zeit bis zur Erledigung",
    "summary.replies": "Antworten im Thread",
    "summary.not_claimed": "nie übernommen",
    # Listen und Hilfe.
    "list.title": "Offene Reklamationen in <#{channel}>",
    "list.empty": "Keine offenen Reklamationen in <#{channel}>.",
    "list.line": "*#{number}* {summary} · {owner} · {age}",
    "list.unclaimed": "_noch niemand zuständig_",
    "help.text": (
        "*So funktioniert /complaint*\n"
        "• `/complaint <Text>`: Reklamation sofort erfassen\n"
        "• `/complaint <Kunde>: <Text>`: ebenso, für diesen Kunden (auch `Kunde Müller: <Text>`)\n"
        "• `/complaint`: Formular mit Kunde, Dringlichkeit und Kategorie öffnen\n"
        "• Auf jeder Nachricht unter *Weitere Aktionen* → *Als Reklamation erfassen*: das Formular, ausgefüllt mit "
        "der Nachricht\n"
        "• Mit :{emoji}: auf einer Karte übernimmst du die Reklamation; nimmst du die Reaktion zurück, gibst du sie "
        "wieder ab\n"
        "• Wer zuständig ist, erledigt sie mit :{resolve_emoji}: oder „Erledigen“ und übergibt mit „Übergeben“\n"
        "• `/complaint liste`: offene Reklamationen in diesem Kanal\n"
        "• `/complaint kunde <Name>` (ohne Doppelpunkt): die Reklamationen eines Kunden\n"
        "• Der Knopf *8D* auf der Karte: den 8D bearbeiten (Team, Eindämmung, Ursache, Maßnahmen)\n"
        "• `/complaint 8d <Nummer>`: den 8D-Bericht als PDF, im Thread und für die meldende Person\n"
        "• `/complaint übersicht`: die aktuelle Übersicht für diesen Kanal\n"
        "• `/complaint bericht`, `/complaint export`: für die Geschäftsleitung\n"
        "• `/complaint hilfe`: diese Hilfe"
    ),
    # Verlauf.
    "history.title": "*Verlauf von #{number}*",
    "history.line": "{when} · {what}",
    "timeline.filed": "erfasst von {actor}",
    "timeline.claimed": "übernommen von {actor}",
    "timeline.released": "abgegeben von {actor}",
    "timeline.handover_proposed": "{actor} hat eine Übergabe an {to} vorgeschlagen",
    "timeline.resolved": "erledigt von {actor}: {note}",
    "timeline.reopened": "wieder geöffnet von {actor}: {note}",
    "timeline.confirmed": "{actor} hat bestätigt, dass der Kunde zufrieden ist",
    "timeline.reminded": "Erinnerung im Thread",
    "timeline.escalated": "an die Geschäftsleitung eskaliert",
    "timeline.asked_update": "zuständige Person nach dem Stand gefragt",
    "timeline.overdue": "Frist überschritten; Geschäftsleitung und zuständige Person informiert",
    "timeline.due_soon": "zuständige Person an die nahende Frist erinnert",
    "timeline.snoozed": "Nachfassen von {actor} bis {until} pausiert: {note}",
    "timeline.severity_changed": "Dringlichkeit von {actor} auf „{severity}“ gesetzt",
    "timeline.talk_suggested": "Gespräch vorgeschlagen",
    "timeline.talk_started": "{actor} hat ein Gespräch begonnen",
    "timeline.talked": "{actor} hat das Ergebnis des Gesprächs notiert: {note}",
    # Nachfassen.
    "remind.1": (
        "Diese Reklamation von <@{reporter}> hat noch niemand übernommen. Wer sie lösen kann, reagiert bitte auf der "
        "Karte mit :{emoji}:."
    ),
    "remind.2": (
        "Diese Reklamation von <@{reporter}> hat seit {age} niemand übernommen. Wer sie lösen kann, reagiert bitte auf "
        "der Karte mit :{emoji}: und übernimmt sie."
    ),
    "remind.3": (
        "Letzte Erinnerung: Die Reklamation #{number} von <@{reporter}> hat nach {age} immer noch niemand übernommen. "
        "Reagiert bis {when} niemand mit :{emoji}:, wird die Geschäftsleitung informiert."
    ),
    "thread.escalated.unclaimed": (
        "In {age} hat niemand die Reklamation übernommen, deshalb ist jetzt die Geschäftsleitung informiert."
    ),
    "thread.escalated.quiet": "Hier war es zu lange still, deshalb ist jetzt die Geschäftsleitung informiert.",
    "ask_update.text": (
        "<@{owner}>, gibt es etwas Neues? Seit {age} ist es hier still. Ein kurzer Zwischenstand hilft <@{reporter}>, "
        "den Kunden auf dem Laufenden zu halten."
    ),
    "ask_update.snooze_hint": "Wartest du auf etwas? Dann pausiere das Nachfassen:",
    "button.snooze_1d": "1 Tag pausieren",
    "button.snooze_3d": "3 Tage pausieren",
    "button.snooze_date": "Pausieren bis…",
    "snooze.only_owner": "Nur wer für #{number} zuständig ist, kann das Nachfassen pausieren.",
    "modal.snooze.title": "Nachfassen pausieren",
    "modal.snooze.submit": "Pausieren",
    "modal.snooze.until": "Bis",
    "modal.snooze.reason": "Warum? (steht dann im Thread)",
    "modal.error.snooze_future": "Bitte wähle einen Tag in der Zukunft.",
    "thread.snoozed": "<@{user}> hat das Nachfassen bis {until} pausiert: {reason}",
    "overdue.owner": (
        "Die Frist für diese Reklamation ist abgelaufen: {link}\nBitte erledige sie oder schreib im Thread, woran es "
        "hängt."
    ),
    "due_soon.owner": "Denk bitte daran, diese Reklamation bis {when} zu erledigen: {link}",
    "escalation.unclaimed.title": "Für Reklamation #{number} ist niemand zuständig",
    "escalation.quiet.title": "Bei Reklamation #{number} ist es still geworden",
    "escalation.overdue.title": "Reklamation #{number} ist überfällig",
    "escalation.fallback": "{title}: {summary}",
    "escalation.waiting": "Wartezeit",
    "escalation.quiet_for": "Ohne Rückmeldung",
    "escalation.open_for": "Laufzeit",
    "button.severity": "Dringlichkeit",
    "severity.only_allowed": (
        "Die Dringlichkeit von #{number} können nur die zuständige Person, die meldende Person und die "
        "Geschäftsleitung ändern."
    ),
    "thread.severity": (
        "<@{user}> hat die Dringlichkeit auf „{severity}“ gesetzt; das Nachfassen richtet sich jetzt danach."
    ),
    # Talk and home.
    "talk.list": "{head} und {last}",
    "talk.nudge": (
        "In diesem Thread gibt es schon {replies} Antworten von {people} Personen, und die Reklamation ist noch offen. "
        "Ein paar Minuten Gespräch klären oft mehr als weitere Nachrichten. Wollt ihr es kurz zusammen besprechen?"
    ),
    "talk.button.start": "Kurz besprechen",
    "talk.button.meeting": "Meeting öffnen",
    "talk.button.talked": "Wir haben gesprochen",
    "talk.intro": "<@{starter}> möchte Reklamation #{number} mit euch besprechen: {summary}",
    "talk.intro.customer": "Kunde: {customer}",
    "talk.intro.huddle": (
        "{people}: Startet am besten gleich hier einen Huddle (das Kopfhörer-Symbol oben) und klärt es gemeinsam. "
        "Haltet danach das Ergebnis mit „Wir haben gesprochen“ fest, damit es auch im Thread steht."
    ),
    "talk.started": (
        "<@{starter}> hat ein Gespräch mit {people} in einer Gruppennachricht begonnen. Wenn ihr gesprochen habt, "
        "haltet das Ergebnis hier mit „Wir haben gesprochen“ fest."
    ),
    "talk.talked": "<@{user}> hat das Ergebnis des Gesprächs notiert: {outcome}",
    "talk.modal.title": "Wir haben gesprochen",
    "talk.modal.submit": "Speichern",
    "talk.modal.outcome": "Was ist dabei herausgekommen? (eine Zeile)",
    "talk.modal.outcome.placeholder": "z. B. Ersatz geht Montag raus; Ana sagt dem Kunden heute Bescheid",
    "talk.modal.error.required": "Bitte notiere das Ergebnis in einer Zeile.",
    "talk.already": "Das Gespräch zu #{number} läuft schon: <#{channel}>",
    "talk.already_pending": (
        "Das Gespräch zu #{number} wird gerade eingerichtet und erscheint gleich in deinen Direktnachrichten."
    ),
    "talk.resolved": "#{number} ist schon erledigt; da gibt es nichts mehr zu besprechen.",
    "talk.not_involved": (
        "Das Gespräch zu #{number} ist für die Leute im Thread: wer zuständig ist, wer sie gemeldet hat und wer dort "
        "geantwortet hat."
    ),
    "talk.alone": "Im Thread von #{number} ist noch niemand sonst, mit dem du sprechen könntest.",
    "talk.not_started": "Zu #{number} hat noch niemand ein Gespräch begonnen. Drück zuerst auf „Kurz besprechen“.",
    "talk.open_failed": (
        "Slack konnte leider keine Gruppennachricht für #{number} öffnen. Startet stattdessen bitte einen Huddle im "
        "Thread."
    ),
    "thread.confirmed": "<@{user}> hat bestätigt, dass der Kunde zufrieden ist. :tada:",
    "reporter.claimed": "<@{owner}> hat deine Reklamation übernommen: {link}\nNeuigkeiten findest du im Thread.",
    "reporter.handover": (
        "<@{owner}> schlägt vor, deine Reklamation an <@{to}> zu übergeben: {link}\nBis <@{to}> übernimmt, bleibt "
        "<@{owner}> zuständig."
    ),
    "reporter.escalated.unclaimed": (
        "Deine Reklamation hat in {age} niemand übernommen, deshalb ist jetzt die Geschäftsleitung informiert: "
        "{link}\nDu musst nichts weiter tun."
    ),
    "reporter.escalated.quiet": (
        "Bei deiner Reklamation ist es still geworden, deshalb ist jetzt die Geschäftsleitung informiert: {link}\n"
        "Du musst nichts weiter tun."
    ),
    "reporter.escalated.other": "Die Geschäftsleitung ist über deine Reklamation informiert: {link}",
    "reporter.resolved": "<@{owner}> hat deine Reklamation erledigt: {link}\nDas kannst du dem Kunden sagen:\n{note}",
    "reporter.reply": "<@{reporter}>: {news}",
    "reporter.now.unclaimed": "*Stand* · Deine Reklamation wartet noch darauf, dass jemand sie übernimmt: {link}",
    "reporter.now.owned": "*Stand* · {owner} kümmert sich um deine Reklamation: {link}",
    "reporter.now.handover": (
        "*Stand* · {owner} kümmert sich um deine Reklamation und hat vorgeschlagen, sie an {to} zu übergeben: {link}"
    ),
    "reporter.now.resolved": (
        "*Stand* · Deine Reklamation wurde von {owner} erledigt: {link}\nIst der Kunde zufrieden? Bitte antworte "
        "hier im Thread."
    ),
    "reporter.now.satisfied": "*Stand* · :tada: Deine Reklamation ist erledigt, und der Kunde ist zufrieden: {link}",
    "reporter.question": "Wenn du mit dem Kunden gesprochen hast: Ist er zufrieden?",
    "reporter.button.satisfied": "Kunde zufrieden",
    "reporter.button.not_yet": "Noch nicht",
    "reporter.answered.satisfied": "Danke! Notiert: Der Kunde ist mit #{number} zufrieden.",
    "reporter.answered.not_yet": "Danke für die Rückmeldung. #{number} ist wieder offen, mit deinem Grund: {reason}",
    "reporter.modal.title": "Noch nicht zufrieden",
    "reporter.modal.submit": "Wieder öffnen",
    "reporter.modal.reason": "Was braucht der Kunde noch?",
    "reporter.modal.reason.placeholder": "Was er gesagt hat, was noch fehlt",
    "reporter.only_reporter": "Diese Frage beantwortet nur, wer #{number} gemeldet hat: <@{reporter}>.",
    "reporter.outdated": "Diese Frage zu #{number} ist überholt; an der Reklamation hat sich seitdem etwas geändert.",
    "reporter.already": "Du hast schon bestätigt, dass der Kunde mit #{number} zufrieden ist. Danke!",
    "home.title": "Deine Reklamationen",
    "home.updated": "Stand: {when}",
    "home.mine": "Bei dir ({count})",
    "home.mine.empty": "Gerade liegt nichts bei dir.",
    "home.mine.line": "{severity} · seit {age} offen · {next}",
    "home.next": "als Nächstes: {what} am {when}",
    "home.next.none": "kein Nachfassen geplant",
    "home.due.remind": "Erinnerung im Thread",
    "home.due.escalate_unclaimed": "Meldung an die Geschäftsleitung",
    "home.due.ask_update": "Frage nach dem Stand an dich",
    "home.due.escalate_quiet": "Meldung an die Geschäftsleitung",
    "home.due.due_soon": "Hinweis auf die Frist",
    "home.due.overdue": "Frist",
    "home.reported": "Von dir gemeldet ({count})",
    "home.reported.empty": "Nichts, was du gemeldet hast, liegt offen bei anderen oder wartet auf jemanden.",
    "home.reported.line": "{customer} · {owner} · seit {age} offen",
    "home.reported.line.no_customer": "{owner} · seit {age} offen",
    "home.reported.owner": "<@{owner}> kümmert sich",
    "home.reported.unclaimed": "_noch niemand zuständig_",
    "home.waiting": "Noch nicht übernommen ({count})",
    "home.waiting.empty": "Für jede Reklamation ist jemand zuständig. :tada:",
    "home.waiting.line": "{severity} · wartet seit {age} · gemeldet von <@{reporter}>",
    "home.resolved": "Kürzlich von dir erledigt ({count})",
    "home.resolved.empty": "In den letzten 14 Tagen hast du nichts erledigt.",
    "home.resolved.line": "erledigt {when}",
    "home.resolved.line.confirmed": "erledigt {when} · Kunde zufrieden",
    # Reports.
    "card.history_customer_one_open": "Von diesem Kunden gibt es schon eine Reklamation, sie ist noch offen: {link}",
    "card.history_customer_one_resolved": "Von diesem Kunden gibt es schon eine Reklamation, sie ist erledigt: {link}",
    "report.only_managers": (
        "Bericht und Export sind der Geschäftsleitung vorbehalten. Wenn du sie brauchst, bitte die Administration, "
        "dich unter `managers` einzutragen."
    ),
    "report.posted": "Der Bericht steht in <#{channel}>.",
    "report.sent_dm": (
        "Es ist kein Kanal für die Geschäftsleitung eingerichtet, deshalb habe ich dir den Bericht als "
        "Direktnachricht geschickt."
    ),
    "digest.management.title": "Reklamationsbericht",
    "digest.management.period": "Vom {since} bis {until}",
    "digest.management.fallback": (
        "Reklamationsbericht seit {since}: {filed} eingegangen, {resolved} erledigt, {reopened} wieder geöffnet. "
        "Aktuell {open} offen, {unclaimed} nicht übernommen, {overdue} überfällig."
    ),
    "digest.in_period": "Seit dem letzten Bericht",
    "digest.now": "Aktuell",
    "digest.filed": "Eingegangen",
    "digest.claimed": "Übernommen",
    "digest.resolved": "Erledigt",
    "digest.confirmed": "Erledigt, Kunde zufrieden (bestätigt)",
    "digest.reopened": "Wieder geöffnet",
    "digest.open": "Offen",
    "digest.unclaimed": "Nicht übernommen",
    "digest.quiet": "Zu lange ohne Neuigkeiten",
    "digest.overdue": "Überfällig",
    "digest.times": "Bearbeitungszeiten",
    "digest.claim_median": "Zeit bis zur Übernahme (Median)",
    "digest.claim_p90": "Zeit bis zur Übernahme (bei 9 von 10 höchstens)",
    "digest.resolve_median": "Zeit bis zur Erledigung (Median)",
    "digest.resolve_p90": "Zeit bis zur Erledigung (bei 9 von 10 höchstens)",
    "digest.previous": "Zeitraum davor: {value}",
    "digest.no_data": "keine Daten",
    "digest.talk.title": "Gemeinsam besprochen",
    "digest.talk.count": "Begonnene Gespräche",
    "digest.talk.with": "Zeit bis zur Erledigung mit Gespräch (Median)",
    "digest.talk.without": "Zeit bis zur Erledigung ohne Gespräch (Median)",
    "digest.talk.replies": "Antworten vor dem Gespräch (Median)",
    "digest.by_channel": "Nach Kanal",
    "digest.channel_line": "<#{channel}> · {filed} eingegangen · {resolved} erledigt · {open} offen",
    "digest.by_category": "Nach Kategorie",
    "digest.category_line": "{category} · {filed} eingegangen · {resolved} erledigt · {open} offen",
    "digest.no_category": "ohne Kategorie",
    "digest.oldest": "Die ältesten offenen Reklamationen",
    "digest.oldest_line": "{ref} · {owner} · eingegangen {age}",
    "digest.nothing_open": "Keine offenen Reklamationen.",
    "digest.owners": "Zuständige mit den meisten offenen Reklamationen",
    "digest.owner_line": "<@{owner}> · {count} offen",
    "digest.customers": "Kunden, die mehr als einmal reklamiert haben",
    "digest.customer_line": "{customer} · {count} Reklamationen, {open} offen · zuletzt {ref}",
    "digest.see_export": "Alle im Export: `/complaint export`",
    "digest.channel.title": "Reklamationsübersicht",
    "digest.channel.intro": "<#{channel}> seit {since}",
    "digest.channel.resolved": "Seitdem erledigt",
    "digest.channel.open_list": "Offene Reklamationen (nicht übernommene zuerst)",
    "digest.channel.open_line": "{ref} · {owner} · eingegangen {age}",
    "digest.channel.resolved_list": "Seit der letzten Übersicht erledigt",
    "digest.channel.resolved_line": "{ref} · {owner} · erledigt {age}",
    "digest.channel.fallback": (
        "Reklamationsübersicht für <#{channel}>: {open} offen (davon {unclaimed} nicht übernommen), {resolved} "
        "erledigt seit {since}."
    ),
    "digest.channel.nothing": "In <#{channel}> ist nichts offen, und seit {since} wurde dort nichts erledigt.",
    "chart.title": "Reklamationen pro Tag, letzte vier Wochen",
    "chart.filed": "Eingegangen",
    "chart.resolved": "Erledigt",
    "chart.claim_title": "Zeit bis zur Übernahme pro Woche (Median)",
    "chart.hours": "Stunden",
    "chart.none": "keine übernommen",
    "chart.filename": "reklamationen-{date}.png",
    "chart.file_title": "Reklamationen, letzte vier Wochen ({date})",
    "chart.comment": (
        "Eingegangen und erledigt pro Tag in den letzten vier Wochen, dazu die mittlere Zeit bis zur Übernahme pro "
        "Woche."
    ),
    "export.sent": "Ich schicke dir alle Reklamationen als CSV-Datei in einer Direktnachricht.",
    "export.filename": "reklamationen-{date}.csv",
    "export.title": "Export der Reklamationen ({date})",
    "export.comment": "Alle {count} Reklamationen, Stand {when}. Zeitangaben in {zone}.",
    "export.yes": "ja",
    "export.no": "nein",
    "export.col.number": "Nummer",
    "export.col.filed": "Eingegangen am",
    "export.col.claimed": "Erstmals übernommen am",
    "export.col.resolved": "Erledigt am",
    "export.col.minutes_to_claim": "Minuten bis zur Übernahme",
    "export.col.minutes_to_resolve": "Minuten bis zur Erledigung",
    "export.col.status": "Status",
    "export.col.owner": "Zuständig",
    "export.col.reporter": "Gemeldet von",
    "export.col.customer": "Kunde",
    "export.col.channel": "Kanal",
    "export.col.severity": "Dringlichkeit",
    "export.col.category": "Kategorie",
    "export.col.replies": "Antworten im Thread",
    "export.col.reopened": "Wie oft wieder geöffnet",
    "export.col.escalations": "Eskalationen",
    "export.col.talk": "Gespräch",
    "export.col.confirmed": "Kunde zufrieden (bestätigt)",
    "customer.none": "Zu einem Kunden namens „{name}“ habe ich keine Reklamationen gefunden.",
    "customer.title": "Reklamationen von {name}: {total}, davon {open} offen",
    "customer.line": "{ref} · {status} · {owner} · eingegangen {age}",
    "customer.matched": "Passende Namen: {names}",
    "customer.file_instead": "Wolltest du das als Reklamation erfassen?",
    "button.file_instead": "Als Reklamation erfassen",
    "error.generic": "Das hat leider nicht geklappt. Es wurde nichts geändert, versuch es bitte noch einmal.",
    "error.not_saved": (
        "Das konnte gerade nicht gespeichert werden, deshalb hat sich nichts geändert. Versuch es bitte in einer "
        "Minute noch einmal."
    ),
    "error.unknown_complaint": "Diese Reklamation kenne ich nicht mehr.",
    "card.moved": "Reklamation #{number} ist nach <#{channel}> umgezogen; ihr Thread geht dort weiter.",
    "moved.removed": "ich wurde aus ihrem Kanal entfernt",
    "moved.shared": "ihr Kanal ist jetzt mit einer anderen Organisation geteilt",
    "moved.closed": "ich kann in ihrem Kanal nicht mehr schreiben",
    "thread.moved": "Diese Reklamation ist aus <#{channel}> hierher umgezogen: {reason}. Der Thread geht hier weiter.",
    "timeline.moved": "Karte in einen anderen Kanal verlegt: {note}",
    "outsider.refused": (
        "Diese App steht leider nur den Leuten des Unternehmens offen, das sie betreibt, deshalb hat sich nichts "
        "geändert. Deine Ansprechperson dort kümmert sich gern darum."
    ),
    "error.could_not_check": (
        "Slack konnte mir gerade nicht sagen, ob du das darfst, deshalb hat sich nichts geändert. Versuch es bitte in "
        "einer Minute noch einmal."
    ),
    # Der 8D-Bericht.
    "button.eight_d": "8D",
    "eightd.progress": "8D: {marks}",
    "eightd.required_one": "8D erforderlich: {missing} fehlt",
    "eightd.required_many": "8D erforderlich: {missing} fehlen",
    "eightd.form.title": "8D zu #{number}",
    "eightd.form.submit": "Speichern",
    "eightd.form.intro": (
        "Trag ein, was du jetzt weißt, und speichere; jede Disziplin lässt sich später ergänzen. Den Bericht erstellt "
        "`/complaint 8d <Nummer>`."
    ),
    "eightd.form.d2": (
        "*D2 Problembeschreibung*: Text, Kunde und Anhänge der Reklamation gehören schon dazu. Ergänze die Angaben "
        "des Kunden:"
    ),
    "eightd.label.team": "D1 Team",
    "eightd.hint.team": (
        "Alle, die am 8D arbeiten; sie, der oder die Zuständige und Führungskräfte können ihn bearbeiten."
    ),
    "eightd.label.claim_number": "D2 Reklamationsnummer des Kunden",
    "eightd.label.part_number": "D2 Teilenummer",
    "eightd.label.batch": "D2 Charge / Los",
    "eightd.label.quantity": "D2 Betroffene Menge",
    "eightd.label.containment": "D3 Eindämmung / Sofortmaßnahmen",
    "eightd.label.contained_at": "D3 Eindämmung wirksam seit",
    "eightd.hint.contained": "Leer gelassen gilt die Eindämmung ab dem Speichern von D3.",
    "eightd.label.occurrence": "D4 Ursache: Warum ist es passiert (Entstehung)?",
    "eightd.label.escape": "D4 Ursache: Warum wurde es nicht entdeckt (Nichterkennung)?",
    "eightd.label.corrective": "D5 Abstellmaßnahmen",
    "eightd.label.corrective_date": "D5 Umgesetzt am / geplant für",
    "eightd.label.verification": "D6 Wirksamkeitsprüfung",
    "eightd.label.preventive": "D7 Vorbeugende Maßnahmen",
    "eightd.placeholder.claim_number": "z. B. die Nummer auf dem Reklamationsformular des Kunden",
    "eightd.placeholder.part_number": "Zeichnungs- oder Artikelnummer",
    "eightd.placeholder.batch": "Betroffene Chargen, Lose oder Seriennummern",
    "eightd.placeholder.quantity": "z. B. 120 Stück von 2.000 gelieferten",
    "eightd.placeholder.containment": "Bestand gesperrt und sortiert, Ersatz geliefert, 100-%-Prüfung …",
    "eightd.placeholder.occurrence": "Die technische Ursache, ermittelt mit 5-W-Methode oder Ishikawa",
    "eightd.placeholder.escape": "Warum Prüfung oder Test den Fehler nicht erkannt haben",
    "eightd.placeholder.corrective": "Was die Ursache beseitigt, und wer es umsetzt",
    "eightd.placeholder.verification": "Wie die Wirksamkeit nachgewiesen wurde (Messungen, Audits, geprüfte Teile)",
    "eightd.placeholder.preventive": "Prüfplan, FMEA, Arbeitsanweisungen und ähnliche Produkte angepasst",
    "eightd.error.contained_future": "Die Eindämmung kann nicht in der Zukunft beginnen.",
    "eightd.error.contained_without_text": "Beschreib bitte auch die Eindämmungsmaßnahmen.",
    "eightd.error.corrective_date_without_text": "Beschreib bitte auch die Abstellmaßnahmen.",
    "eightd.error.too_long": "Bitte höchstens {limit} Zeichen.",
    "eightd.emptied": "_(geleert)_",
    "eightd.thread.updated": "<@{user}> hat den 8D bearbeitet. {progress}",
    "eightd.only_allowed": (
        "Am 8D von #{number} arbeiten die oder der Zuständige ({owner}), das D1-Team ({team}) und Führungskräfte. "
        "Bitte eine dieser Personen, dich ins D1-Team aufzunehmen."
    ),
    "eightd.unclaimed": (
        "#{number} hat noch niemanden, der sich kümmert. Wer die Reklamation übernimmt (Reaktion :{emoji}: auf der "
        "Karte), bearbeitet mit dem Team auch ihren 8D."
    ),
    "eightd.nobody_yet": "noch niemand",
    "eightd.report.queued": (
        "Ich erstelle den {kind} zu #{number} (Rev. {revision}). Er erscheint im Thread der Karte, und <@{reporter}> "
        "bekommt ihn zur Weitergabe an den Kunden."
    ),
    "eightd.report.queued_reporter": (
        "Ich erstelle den {kind} zu #{number} (Rev. {revision}). Er erscheint im Thread der Karte, und du bekommst "
        "ihn in deinen Direktnachrichten zur Weitergabe an den Kunden."
    ),
    "eightd.report.kind.interim": "8D-Zwischenbericht",
    "eightd.report.kind.full": "8D-Bericht",
    "eightd.report.unknown": "Eine Reklamation #{number} gibt es nicht.",
    "eightd.report.only_allowed": (
        "Den 8D-Bericht zu #{number} erstellen die oder der Zuständige, das D1-Team, wer sie gemeldet hat, oder eine "
        "Führungskraft."
    ),
    "eightd.report.thread": "{kind} zu #{number}, Rev. {revision}, angefordert von <@{user}>.",
    "eightd.report.thread_auto": (
        "D3 bis D7 sind ausgefüllt, hier ist deshalb der vollständige 8D-Bericht zu #{number}, Rev. {revision}."
    ),
    "eightd.report.reporter": (
        "Hier ist der {kind} zu deiner Reklamation (Rev. {revision}), fertig zur Weitergabe an den Kunden: {link}"
    ),
    "eightd.report.title": "{kind}, #{number}, Rev. {revision}",
    "eightd.report.failed": (
        "Der 8D-Bericht zu #{number} konnte leider nicht erstellt werden. Es wurde nichts verschickt; versuch es bitte "
        "noch einmal und sag einem Admin Bescheid, wenn es wieder scheitert."
    ),
    "resolve.eight_d_missing": (
        "#{number} braucht erst ihren 8D, bevor die Reklamation erledigt werden kann (noch offen: {missing}). Füll "
        "das über den Knopf *8D* auf der Karte aus und erledige sie dann."
    ),
    "containment.soon.owner": (
        "Die Eindämmung für diese Reklamation ist bis {when} fällig: {link}\nSobald der Kunde geschützt ist (Bestand "
        "gesperrt, Teile sortiert, Ersatz geliefert …), trag sie als D3 über den Knopf *8D* auf der Karte ein."
    ),
    "containment.soon.thread": (
        "Die Eindämmung für diese Reklamation ist bis {when} fällig, und noch niemand kümmert sich. Reagiere mit "
        ":{emoji}: auf der Karte, um sie zu übernehmen, und trag die Sofortmaßnahmen dann als D3 über *8D* ein."
    ),
    "containment.overdue.thread": (
        "Die Eindämmung war bis {when} fällig und ist nicht erfolgt, deshalb ist jetzt die Geschäftsleitung informiert."
    ),
    "escalation.containment.title": "Keine Eindämmung bei Reklamation #{number}",
    "escalation.containment_due": "Eindämmung fällig seit",
    "reporter.escalated.containment": (
        "Die Eindämmung für deine Reklamation kam nicht rechtzeitig, deshalb ist jetzt die Geschäftsleitung "
        "informiert: {link}\nDu musst nichts weiter tun."
    ),
    "timeline.eight_d_updated": "{actor} hat den 8D bearbeitet: {note}",
    "timeline.eight_d_report": "8D-Bericht erstellt: {note}",
    "timeline.containment_due_soon": "an die fällige Eindämmung erinnert",
    "timeline.containment_overdue": "Eindämmung überfällig; Geschäftsleitung informiert",
    "home.due.contain_soon": "Erinnerung an die Eindämmung",
    "home.due.contain_overdue": "Frist für die Eindämmung",
    "eightd.pdf.title.interim": "8D-Zwischenbericht (D1–D3)",
    "eightd.pdf.title.full": "8D-Bericht",
    "eightd.pdf.rev": "Rev. {revision}",
    "eightd.pdf.subtitle": "Reklamation #{number} · Rev. {revision} · erstellt am {date}",
    "eightd.pdf.footer": "8D-Bericht, Reklamation #{number} · Rev. {revision} · Seite {{page}} von {{pages}}",
    "eightd.pdf.filename": "8D-Bericht-{number}-Rev{revision}.pdf",
    "eightd.pdf.complaint": "Reklamation",
    "eightd.pdf.leader": "8D-Verantwortliche(r)",
    "eightd.pdf.status.unclaimed": "offen",
    "eightd.pdf.status.owned": "in Bearbeitung",
    "eightd.pdf.status.resolved": "abgeschlossen",
    "eightd.pdf.members": "Teammitglieder",
    "eightd.pdf.none": "—",
    "eightd.pdf.open": "Offen: noch nicht ausgefüllt.",
    "eightd.pdf.not_yet": "noch nicht",
    "eightd.pdf.dates": "Termine",
    "eightd.pdf.filed": "Eingegangen",
    "eightd.pdf.claimed": "Übernommen",
    "eightd.pdf.contained": "Eingedämmt",
    "eightd.pdf.resolved": "Erledigt",
    "eightd.pdf.confirmed": "Kundenzufriedenheit bestätigt",
    "eightd.pdf.target": "{value} (Ziel: {deadline})",
    "eightd.pdf.target_met": "{value} (Ziel: {deadline}, erreicht)",
    "eightd.pdf.d2": "D2 Problembeschreibung",
    "eightd.pdf.problem": "Problem",
    "eightd.pdf.attachments": "Anhänge",
    "eightd.pdf.effective_since": "Wirksam seit",
    "eightd.pdf.d4": "D4 Ursache",
    "eightd.pdf.d8": "D8 Abschluss",
    "eightd.pdf.next": "Nächste Schritte",
    "eightd.pdf.interim_note": (
        "Dies ist ein Zwischenbericht: Die Eindämmungsmaßnahmen oben schützen den Kunden, während die Ursache "
        "analysiert wird. Der vollständige 8D-Bericht mit Ursache, Abstell- und vorbeugenden Maßnahmen folgt."
    ),
    "eightd.pdf.not_closed": "Noch nicht abgeschlossen.",
    "eightd.pdf.resolution": "Lösung",
    "eightd.pdf.closed_by": "Abgeschlossen von",
    "eightd.pdf.closed_at": "Abgeschlossen am",
    "eightd.pdf.customer_satisfied": "Kunde zufrieden",
    "eightd.pdf.satisfied": "ja, bestätigt von {person} am {when}",
    "eightd.pdf.not_confirmed": "noch nicht bestätigt",
    "eightd.pdf.claim_number": "Reklamationsnummer des Kunden",
    "eightd.pdf.part_number": "Teilenummer",
    "eightd.pdf.batch": "Charge / Los",
    "eightd.pdf.quantity": "Betroffene Menge",
    "eightd.pdf.occurrence": "Warum ist es passiert (Entstehung)?",
    "eightd.pdf.escape": "Warum wurde es nicht entdeckt (Nichterkennung)?",
    "eightd.pdf.corrective_date": "Umgesetzt am / geplant für",
    # Filing from a message.
    "card.from_message": "Aus <{link}|einer Nachricht> von {author}",
    "capture.someone": "einer App",
    "capture.intro": "Aus <{link}|dieser Nachricht> von {author}. Prüf die Kurzbeschreibung und nenn den Kunden.",
    "capture.files": "Die Dateien der Nachricht ({files}) kommen mit in den Thread der Reklamation.",
    "capture.filed_before.title": "Schon erfasst",
    "capture.filed_before": "Diese Nachricht ist schon erfasst ({status}; zuständig: {owner}): {ref}",
    "capture.button.file_anyway": "Trotzdem neu erfassen",
    "capture.reply": "Als {ref} erfasst von <@{user}>; die Karte ist in <#{channel}>.",
    "capture.private": (
        "Als {ref} erfasst; die Karte ist in <#{channel}>. Unter der Nachricht kann ich nicht antworten, deshalb "
        "siehst nur du das."
    ),
    "shortcut.file": "Als Reklamation erfassen",
    "card.attachments.one": ":paperclip: 1 Anhang im Thread",
    "card.attachments": ":paperclip: {count} Anhänge im Thread",
    "attach.files.one": "1 Datei",
    "attach.files": "{count} Dateien",
    "attach.megabytes": "{count} MB",
    "attach.unnamed": "eine Datei ohne Namen",
    "attach.comment": ":paperclip: {files} beim Erfassen von #{number} angehängt.",
    "attach.problems": (
        "Die Reklamation ist erfasst, aber ich konnte nicht alles anhängen: {link}\n{lines}\nWenn du sie noch hast, "
        "stell sie selbst in ihren Thread: Dateien dort zählen auch als Anhänge."
    ),
    "attach.problem.too_large": "• {name} ({size}) ist größer als die 10 MB, die ich weitergeben kann.",
    "attach.problem.unreadable": (
        "• {name}: Slack lässt mich die Datei nicht lesen (vielleicht wurde sie gelöscht, oder sie liegt in einer "
        "Unterhaltung, in der ich nicht bin)."
    ),
    "attach.problem.refused": "• {name}: Slack wollte die Datei nicht in den Thread übernehmen.",
    "attach.problem.too_large_unsized": "• {name} ist größer als die 10 MB, die ich weitergeben kann.",
    "digest.eightd.title": "8D",
    "digest.eightd.completed": "8D abgeschlossen (D3 bis D7 ausgefüllt)",
    "digest.eightd.contain_median": "Zeit bis zur Eindämmung (Median)",
    "digest.eightd.in_time": "Eingedämmt innerhalb von {within}",
    "digest.eightd.in_time_value": "{share} ({count} von {total})",
    "digest.eightd.past": "Offen nach Ablauf der Eindämmungsfrist",
    "export.col.claim_number": "Reklamationsnummer des Kunden",
    "export.col.part_number": "Teilenummer",
    "export.col.batch": "Charge",
    "export.col.quantity": "Betroffene Menge",
    "export.col.team": "8D-Team",
    "export.col.containment": "D3 Eindämmung",
    "export.col.contained": "Eingedämmt am",
    "export.col.minutes_to_contain": "Minuten bis zur Eindämmung",
    "export.col.contained_in_time": "Rechtzeitig eingedämmt",
    "export.col.occurrence": "D4 Ursache (Entstehung)",
    "export.col.escape": "D4 Ursache (Nichterkennung)",
    "export.col.corrective": "D5 Abstellmaßnahmen",
    "export.col.corrective_date": "D5 Datum",
    "export.col.verification": "D6 Wirksamkeitsprüfung",
    "export.col.preventive": "D7 Vorbeugende Maßnahmen",
    "export.col.eight_d_completed": "8D abgeschlossen am",
    "export.col.eight_d_reports": "Erstellte 8D-Berichte",
    # Weiterleitung.
    "routing.announce": "Neue Reklamation {ref} von <@{user}>, die Karte ist in <#{channel}>: {summary}",
    "list.card_in": "Karte in <#{channel}>",
}
