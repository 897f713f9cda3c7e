"""English messages: every word the bot shows, keyed by what it is for.

One concept, however long it grows: the catalog of one language, kept in one file so a translator sees it all.
"""

MESSAGES: dict[str, str] = {
    # Words used in several places.
    "complaint": "Complaint",
    "status.unclaimed": "unclaimed",
    "status.owned": "owned",
    "status.resolved": "resolved",
    "severity.high": "high",
    "severity.normal": "normal",
    "severity.low": "low",
    "category.product": "product",
    "category.delivery": "delivery",
    "category.billing": "billing",
    "category.service": "service",
    "category.other": "other",
    "nobody": "nobody",
    "none": "—",
    "and_more": "…and {count} more",
    # The card.
    "card.title": "Complaint #{number}",
    "card.fallback": "Complaint #{number} ({status}): {summary}",
    "card.customer": "Customer",
    "card.reporter": "Reported by",
    "card.severity": "Severity",
    "card.status": "Status",
    "card.owner": "Owner",
    "card.category": "Category",
    "card.filed": "Filed",
    "card.details": "Details",
    "card.how_to_claim": (
        "React with :{emoji}: to take this on. The owner resolves it with :{resolve_emoji}: or the Resolve button."
    ),
    "card.handover_proposed": "Handover proposed to <@{user}>, who takes it by reacting with :{emoji}:.",
    "card.hint.owned": (
        "The owner resolves it with :{resolve_emoji}: or the Resolve button, or passes it on with Hand over."
    ),
    "card.hint.resolved": "Resolved. If the customer needs more, its reporter or its last owner can reopen it.",
    "card.resolution": "Resolution",
    "card.history_customer": "This customer has {earlier} earlier complaints, {open} of them open. Latest: {link}",
    "card.cut": "(cut here; the whole text is kept with the complaint)",
    "button.resolve": "Resolve",
    "button.handover": "Hand over",
    "button.history": "History",
    "button.reopen": "Reopen",
    "button.open_thread": "Open thread",
    # Filing.
    # Said before the bot has asked Slack whether it may post in the channel: where the card goes, not where it is.
    "file.ack": (
        "Filed as #{number}. Its card goes to <#{channel}>, where every step will follow in its thread. If I cannot "
        "post it there, I will tell you."
    ),
    "file.ack_pending": (
        "Filed as #{number}. Its card will appear in <#{channel}> in a moment. If I cannot post it there, I will "
        "tell you."
    ),
    "file.redirected": (
        "I am not in <#{wanted}>, so the card of #{number} is in <#{channel}>. To have cards in <#{wanted}>, invite "
        "me there: `/invite @Complaint Desk`."
    ),
    "file.redirected_shared": (
        "<#{wanted}> is shared with another organisation, so the card of #{number} is in <#{channel}>, where only "
        "your own colleagues see it."
    ),
    "file.no_card": (
        "#{number} is filed, but I am not in <#{wanted}>, so its card cannot be shown until you invite me there: "
        "`/invite @Complaint Desk`. It appears as soon as I am in."
    ),
    "file.no_card_shared": (
        "#{number} is filed, but <#{wanted}> is shared with another organisation and no internal channel is set up "
        "for its card. Please ask an admin to set `channels.fallback`."
    ),
    "file.not_saved": (
        "Sorry, the complaint could not be saved just now, so nothing was filed. Please try again in a minute."
    ),
    "file.empty": (
        "Please describe the complaint, for example `/complaint Müller GmbH: received the wrong parts`. `/complaint` "
        "alone opens a form."
    ),
    "file.nowhere": (
        "I cannot post in this channel and no fallback channel is configured. Please invite me (`/invite @Complaint "
        "Desk`) or ask an admin to set `channels.fallback`."
    ),
    "modal.new.title": "New complaint",
    "modal.new.submit": "File",
    "modal.close": "Cancel",
    "modal.customer": "Customer",
    "modal.customer.placeholder": "Who complained?",
    "modal.summary": "Summary",
    "modal.summary.placeholder": "What is wrong, in one line",
    "modal.details": "Details",
    "modal.details.placeholder": "Order numbers, what the customer said, what was tried",
    "modal.severity": "Severity",
    "modal.category": "Category",
    "modal.attachments": "Photos and documents",
    "modal.attachments.hint": (
        "Up to 10 files of up to 10 MB each: photos of the damage, the customer's e-mail, delivery notes. They are "
        "shared in the complaint's thread."
    ),
    "modal.error.summary_required": "Please write a summary.",
    "modal.error.too_long": "Please keep this under {limit} characters.",
    "modal.error.unknown_choice": "Please pick one of the offered options.",
    # Claiming and releasing.
    "thread.filed": "<@{user}> filed this complaint. React with :{emoji}: on the card to take it on.",
    "thread.claimed": "<@{user}> took this on and owns it now.",
    "thread.released": "<@{user}> let go of this complaint. It needs a new owner: react with :{emoji}: on the card.",
    "claim.owned_by_other": (
        "#{number} is owned by <@{owner}>. Ownership is taken, never pushed: ask <@{owner}> to press *Hand over* and "
        "propose you, then react with :{emoji}: again."
    ),
    "claim.resolved": "#{number} is already resolved. Its reporter or owner can reopen it from the card.",
    # Handover.
    "modal.handover.title": "Hand over #{number}",
    "modal.handover.submit": "Propose",
    "modal.handover.user": "Who should take it over?",
    "modal.handover.note": "A word for them (optional)",
    "modal.error.pick_person": "Please pick a person.",
    "modal.error.handover_self": "You already own it; pick someone else.",
    "modal.error.handover_bot": "Please pick a person, not an app.",
    "thread.handover": (
        "<@{owner}> proposes that <@{user}> takes this over. <@{user}>, if you agree, react with :{emoji}: on the "
        "card; until then <@{owner}> stays the owner."
    ),
    "thread.handover_note": (
        "<@{owner}> proposes that <@{user}> takes this over: {note}\n<@{user}>, if you agree, react with :{emoji}: on "
        "the card; until then <@{owner}> stays the owner."
    ),
    "handover.only_owner": "Only the owner of #{number} can hand it over.",
    "handover.unclaimed": "#{number} has no owner yet: react with :{emoji}: on the card to take it on yourself.",
    # Resolving and reopening.
    "modal.resolve.title": "Resolve #{number}",
    "modal.resolve.submit": "Resolve",
    "modal.resolve.note": "How was it resolved?",
    "modal.resolve.note.placeholder": "What was done, what the customer was told",
    "modal.error.note_required": "Please say how it was resolved.",
    "resolve.only_owner": "Only the owner, <@{owner}>, resolves #{number}.",
    "resolve.unclaimed": "#{number} has no owner yet. Take it on first by reacting with :{emoji}:, then resolve it.",
    "resolve.already": "#{number} is already resolved.",
    "resolve.default_note": "resolved with :{emoji}:",
    "thread.resolved": "<@{user}> resolved this: {note}",
    "modal.reopen.title": "Reopen #{number}",
    "modal.reopen.submit": "Reopen",
    "modal.reopen.reason": "Why does it need more work?",
    "modal.error.reason_required": "Please give a reason.",
    "reopen.not_allowed": "Only the reporter or the last owner can reopen #{number}.",
    "reopen.not_resolved": "#{number} is still open.",
    "thread.reopened": "<@{user}> reopened this: {reason}\nIt needs an owner again: react with :{emoji}: on the card.",
    # Management summary.
    "summary.resolved.title": "Resolved: complaint #{number}",
    "summary.resolved.fallback": "Complaint #{number} resolved by <@{owner}>: {summary}",
    "summary.channel": "Channel",
    "summary.time_to_claim": "Time to claim",
    "summary.time_to_resolve": "Time to resolve",
    "summary.replies": "Thread replies",
    "summary.not_claimed": "never claimed",
    # Lists and help.
    "list.title": "Open complaints in <#{channel}>",
    "list.empty": "No open complaints in <#{channel}>.",
    "list.line": "*#{number}* {summary} · {owner} · {age}",
    "list.unclaimed": "_unclaimed_",
    "help.text": (
        "*How to use /complaint*\n"
        "• `/complaint <text>`: file a complaint at once\n"
        "• `/complaint <customer>: <text>`: the same, for that customer (also `Customer Acme: <text>`)\n"
        "• `/complaint`: open a form with customer, severity and category\n"
        "• On any message, *More actions* → *File as complaint*: the form, filled in from the message\n"
        "• React with :{emoji}: on a card to take it on; remove the reaction to let it go\n"
        "• The owner resolves with :{resolve_emoji}: or the card's *Resolve* button, and hands over with *Hand over*\n"
        "• `/complaint list`: open complaints in this channel\n"
        "• `/complaint customer <name>` (no colon): a customer's complaints\n"
        "• The card's *8D* button: work the 8D (team, containment, root cause, actions)\n"
        "• `/complaint 8d <number>`: the 8D report as a PDF, in the thread and to the reporter\n"
        "• `/complaint digest`: this channel's digest now\n"
        "• `/complaint report`, `/complaint export`: for managers\n"
        "• `/complaint help`: this help"
    ),
    # History.
    "history.title": "*History of #{number}*",
    "history.line": "{when} · {what}",
    "timeline.filed": "filed by {actor}",
    "timeline.claimed": "taken on by {actor}",
    "timeline.released": "let go by {actor}",
    "timeline.handover_proposed": "{actor} proposed a handover to {to}",
    "timeline.resolved": "resolved by {actor}: {note}",
    "timeline.reopened": "reopened by {actor}: {note}",
    "timeline.confirmed": "{actor} confirmed that the customer is satisfied",
    "timeline.reminded": "reminder posted",
    "timeline.escalated": "escalated to management",
    "timeline.asked_update": "owner asked for an update",
    "timeline.overdue": "deadline passed; management and owner told",
    "timeline.due_soon": "owner told that the deadline is near",
    "timeline.snoozed": "follow-ups paused by {actor} until {until}: {note}",
    "timeline.severity_changed": "severity set to {severity} by {actor}",
    "timeline.talk_suggested": "talk suggested",
    "timeline.talk_started": "{actor} started a talk",
    "timeline.talked": "{actor} noted the talk's outcome: {note}",
    # Follow-ups.
    "remind.1": (
        "Nobody has taken on this complaint from <@{reporter}> yet. If it is yours to solve, react with :{emoji}: on "
        "the card."
    ),
    "remind.2": (
        "This complaint from <@{reporter}> has waited {age} without an owner. Please, whoever can solve it: react with "
        ":{emoji}: on the card and take it on."
    ),
    "remind.3": (
        "Last reminder: #{number} from <@{reporter}> still has no owner after {age}. If nobody reacts with :{emoji}: "
        "by {when}, management will be told."
    ),
    "thread.escalated.unclaimed": "Nobody took this on in {age}, so management has been told.",
    "thread.escalated.quiet": "This has been quiet for too long, so management has been told.",
    "ask_update.text": (
        "<@{owner}>, any news? This complaint has been quiet for {age}. A short update here helps <@{reporter}> keep "
        "the customer informed."
    ),
    "ask_update.snooze_hint": "Waiting for something? Pause the follow-ups:",
    "button.snooze_1d": "Pause 1 day",
    "button.snooze_3d": "Pause 3 days",
    "button.snooze_date": "Pause until…",
    "snooze.only_owner": "Only the owner of #{number} can pause its follow-ups.",
    "modal.snooze.title": "Pause follow-ups",
    "modal.snooze.submit": "Pause",
    "modal.snooze.until": "Until",
    "modal.snooze.reason": "Why? (shown in the thread)",
    "modal.error.snooze_future": "Please pick a day in the future.",
    "thread.snoozed": "<@{user}> paused the follow-ups until {until}: {reason}",
    "overdue.owner": (
        "This complaint is past its deadline: {link}\nPlease resolve it, or say in its thread what is holding it up."
    ),
    "due_soon.owner": "Heads-up, this complaint should be resolved by {when}: {link}",
    "escalation.unclaimed.title": "Nobody owns complaint #{number}",
    "escalation.quiet.title": "Complaint #{number} has gone quiet",
    "escalation.overdue.title": "Complaint #{number} is overdue",
    "escalation.fallback": "{title}: {summary}",
    "escalation.waiting": "Waiting",
    "escalation.quiet_for": "Quiet for",
    "escalation.open_for": "Open for",
    "button.severity": "Severity",
    "severity.only_allowed": "Only the owner, the reporter or a manager can change the severity of #{number}.",
    "thread.severity": "<@{user}> set the severity to {severity}; the follow-ups now run on its timers.",
    # Talk and home.
    "talk.list": "{head} and {last}",
    "talk.nudge": (
        "This thread has {replies} replies from {people} people and the complaint is still open. A few minutes of "
        "talking often settles what more messages can't. Want to talk it through?"
    ),
    "talk.button.start": "Let's talk",
    "talk.button.meeting": "Open meeting link",
    "talk.button.talked": "We talked",
    "talk.intro": "<@{starter}> would like to talk through complaint #{number}: {summary}",
    "talk.intro.customer": "Customer: {customer}",
    "talk.intro.huddle": (
        "{people}: start a huddle right here (the headphones icon at the top) and sort it out together. Afterwards, "
        "note the outcome with *We talked* so the thread knows."
    ),
    "talk.started": (
        "<@{starter}> started a talk with {people} in a group conversation. Once you've talked, note the outcome here "
        "with *We talked*."
    ),
    "talk.talked": "<@{user}> noted how the talk went: {outcome}",
    "talk.modal.title": "We talked",
    "talk.modal.submit": "Save",
    "talk.modal.outcome": "What came out of it? (one line)",
    "talk.modal.outcome.placeholder": "e.g. Replacement ships Monday; Ana tells the customer today",
    "talk.modal.error.required": "Please write one line about the outcome.",
    "talk.already": "The talk about #{number} is already open: <#{channel}>",
    "talk.already_pending": (
        "The talk about #{number} is being set up; it will show up in your direct messages in a moment."
    ),
    "talk.resolved": "#{number} is already resolved, so there is nothing left to talk through.",
    "talk.not_involved": (
        "The talk about #{number} is for the people in its thread: the owner, the reporter and whoever replied there."
    ),
    "talk.alone": "There is nobody else in the thread of #{number} to talk with yet.",
    "talk.not_started": "Nobody has started a talk about #{number} yet. Press *Let's talk* first.",
    "talk.open_failed": (
        "Sorry, Slack would not open a group conversation for #{number}. Please start a huddle in its thread instead."
    ),
    "thread.confirmed": "<@{user}> confirmed that the customer is satisfied. :tada:",
    "reporter.claimed": "<@{owner}> has taken on your complaint: {link}\nUpdates will follow in its thread.",
    "reporter.handover": (
        "<@{owner}> has proposed handing your complaint over to <@{to}>: {link}\n<@{owner}> stays in charge until "
        "<@{to}> takes it."
    ),
    "reporter.escalated.unclaimed": (
        "Nobody has taken on your complaint in {age}, so management has been told about it: {link}\nYou don't need "
        "to do anything."
    ),
    "reporter.escalated.quiet": (
        "Your complaint has gone quiet, so management has been told about it: {link}\nYou don't need to do anything."
    ),
    "reporter.escalated.other": "Management has been told about your complaint: {link}",
    "reporter.resolved": (
        "<@{owner}> has resolved your complaint: {link}\nHere is what you can tell the customer:\n{note}"
    ),
    "reporter.reply": "<@{reporter}>: {news}",
    "reporter.now.unclaimed": "*Now* · Your complaint is waiting for someone to take it on: {link}",
    "reporter.now.owned": "*Now* · {owner} is working on your complaint: {link}",
    "reporter.now.handover": (
        "*Now* · {owner} is working on your complaint and has proposed handing it over to {to}: {link}"
    ),
    "reporter.now.resolved": (
        "*Now* · {owner} has resolved your complaint: {link}\nIs the customer satisfied? Please answer in this thread."
    ),
    "reporter.now.satisfied": "*Now* · :tada: Your complaint is resolved, and the customer is satisfied: {link}",
    "reporter.question": "Once you've spoken to the customer: are they satisfied?",
    "reporter.button.satisfied": "Customer satisfied",
    "reporter.button.not_yet": "Not yet",
    "reporter.answered.satisfied": "Thanks! Noted that the customer is satisfied with #{number}.",
    "reporter.answered.not_yet": "Thanks for telling us. #{number} is open again with your reason: {reason}",
    "reporter.modal.title": "Not satisfied yet",
    "reporter.modal.submit": "Reopen",
    "reporter.modal.reason": "What does the customer still need?",
    "reporter.modal.reason.placeholder": "What they said, what is still missing",
    "reporter.only_reporter": "Only <@{reporter}>, who reported #{number}, can answer this.",
    "reporter.outdated": "This question about #{number} is out of date; the complaint has changed since.",
    "reporter.already": "You already said the customer is satisfied with #{number}. Thanks!",
    "home.title": "Your complaints",
    "home.updated": "Updated {when}",
    "home.mine": "Mine ({count})",
    "home.mine.empty": "Nothing on your desk right now.",
    "home.mine.line": "{severity} · open for {age} · {next}",
    "home.next": "next: {what}, {when}",
    "home.next.none": "no follow-up planned",
    "home.due.remind": "reminder in the thread",
    "home.due.escalate_unclaimed": "management is told",
    "home.due.ask_update": "you are asked for an update",
    "home.due.escalate_quiet": "management is told",
    "home.due.due_soon": "deadline heads-up",
    "home.due.overdue": "deadline",
    "home.reported": "Reported by you ({count})",
    "home.reported.empty": "Nothing you reported is open with someone else or waiting for an owner.",
    "home.reported.line": "{customer} · {owner} · open for {age}",
    "home.reported.line.no_customer": "{owner} · open for {age}",
    "home.reported.owner": "<@{owner}> is on it",
    "home.reported.unclaimed": "_waiting for an owner_",
    "home.waiting": "Waiting for an owner ({count})",
    "home.waiting.empty": "Every complaint has an owner. :tada:",
    "home.waiting.line": "{severity} · waiting for {age} · reported by <@{reporter}>",
    "home.resolved": "Recently resolved by you ({count})",
    "home.resolved.empty": "Nothing resolved in the last 14 days.",
    "home.resolved.line": "resolved {when}",
    "home.resolved.line.confirmed": "resolved {when} · customer satisfied",
    # Reports.
    "card.history_customer_one_open": "This customer has one earlier complaint, still open: {link}",
    "card.history_customer_one_resolved": "This customer has one earlier complaint, already resolved: {link}",
    "report.only_managers": (
        "Only managers can see the report and the export. If you need them, ask an admin to add you to `managers`."
    ),
    "report.posted": "The report is in <#{channel}>.",
    "report.sent_dm": "No management channel is set up, so I have sent you the report as a direct message.",
    "digest.management.title": "Complaints report",
    "digest.management.period": "From {since} to {until}",
    "digest.management.fallback": (
        "Complaints report from {since}: {filed} filed, {resolved} resolved, {reopened} reopened. Now {open} open, "
        "{unclaimed} unclaimed, {overdue} overdue."
    ),
    "digest.in_period": "Since the last report",
    "digest.now": "Now",
    "digest.filed": "Filed",
    "digest.claimed": "Taken on",
    "digest.resolved": "Resolved",
    "digest.confirmed": "Resolved and confirmed by the reporter",
    "digest.reopened": "Reopened",
    "digest.open": "Open",
    "digest.unclaimed": "Without an owner",
    "digest.quiet": "Quiet (no news for too long)",
    "digest.overdue": "Overdue",
    "digest.times": "How fast",
    "digest.claim_median": "Time to claim (median)",
    "digest.claim_p90": "Time to claim (9 out of 10 within)",
    "digest.resolve_median": "Time to resolve (median)",
    "digest.resolve_p90": "Time to resolve (9 out of 10 within)",
    "digest.previous": "period before: {value}",
    "digest.no_data": "no data",
    "digest.talk.title": "Talking it through",
    "digest.talk.count": "Talks started",
    "digest.talk.with": "Time to resolve with a talk (median)",
    "digest.talk.without": "Time to resolve without a talk (median)",
    "digest.talk.replies": "Replies before the talk (median)",
    "digest.by_channel": "By channel",
    "digest.channel_line": "<#{channel}> · {filed} filed · {resolved} resolved · {open} open",
    "digest.by_category": "By category",
    "digest.category_line": "{category} · {filed} filed · {resolved} resolved · {open} open",
    "digest.no_category": "no category",
    "digest.oldest": "Oldest open complaints",
    "digest.oldest_line": "{ref} · {owner} · filed {age}",
    "digest.nothing_open": "No open complaints.",
    "digest.owners": "Owners with the most open complaints",
    "digest.owner_line": "<@{owner}> · {count} open",
    "digest.customers": "Customers who complained more than once",
    "digest.customer_line": "{customer} · {count} complaints, {open} open · latest {ref}",
    "digest.see_export": "All of them: `/complaint export`",
    "digest.channel.title": "Complaint digest",
    "digest.channel.intro": "<#{channel}> since {since}",
    "digest.channel.resolved": "Resolved since then",
    "digest.channel.open_list": "Open complaints (without an owner first)",
    "digest.channel.open_line": "{ref} · {owner} · filed {age}",
    "digest.channel.resolved_list": "Resolved since the last digest",
    "digest.channel.resolved_line": "{ref} · {owner} · resolved {age}",
    "digest.channel.fallback": (
        "Complaint digest for <#{channel}>: {open} open ({unclaimed} without an owner), {resolved} resolved since "
        "{since}."
    ),
    "digest.channel.nothing": "Nothing open in <#{channel}>, and nothing resolved there since {since}.",
    "chart.title": "Complaints per day, last four weeks",
    "chart.filed": "Filed",
    "chart.resolved": "Resolved",
    "chart.claim_title": "Median time until someone took a complaint on, per week",
    "chart.hours": "Hours",
    "chart.none": "none taken on",
    "chart.filename": "complaints-{date}.png",
    "chart.file_title": "Complaints, last four weeks ({date})",
    "chart.comment": (
        "Filed and resolved per day over the last four weeks, and the median time to take a complaint on per week."
    ),
    "export.sent": "I am sending you every complaint as a CSV file in a direct message.",
    "export.filename": "complaints-{date}.csv",
    "export.title": "Complaints export ({date})",
    "export.comment": "All {count} complaints as of {when}. Times are in {zone}.",
    "export.yes": "yes",
    "export.no": "no",
    "export.col.number": "Number",
    "export.col.filed": "Filed at",
    "export.col.claimed": "First taken on at",
    "export.col.resolved": "Resolved at",
    "export.col.minutes_to_claim": "Minutes to claim",
    "export.col.minutes_to_resolve": "Minutes to resolve",
    "export.col.status": "Status",
    "export.col.owner": "Owner",
    "export.col.reporter": "Reporter",
    "export.col.customer": "Customer",
    "export.col.channel": "Channel",
    "export.col.severity": "Severity",
    "export.col.category": "Category",
    "export.col.replies": "Thread replies",
    "export.col.reopened": "Times reopened",
    "export.col.escalations": "Escalations",
    "export.col.talk": "Talk",
    "export.col.confirmed": "Confirmed by the reporter",
    "customer.none": "I found no complaints from a customer called “{name}”.",
    "customer.title": "Complaints from {name}: {total}, {open} of them open",
    "customer.line": "{ref} · {status} · {owner} · filed {age}",
    "customer.matched": "Names that matched: {names}",
    "customer.file_instead": "Did you mean to file this as a complaint?",
    "button.file_instead": "File it as a complaint",
    "error.generic": "Sorry, that did not work. Nothing was changed; please try again.",
    "error.not_saved": "Sorry, that could not be saved just now, so nothing changed. Please try again in a minute.",
    "error.unknown_complaint": "I do not know that complaint any more.",
    "card.moved": "Complaint #{number} moved to <#{channel}>; its thread continues there.",
    "moved.removed": "I was removed from its channel",
    "moved.shared": "its channel is now shared with another organisation",
    "moved.closed": "I can no longer post in its channel",
    "thread.moved": "This complaint moved here from <#{channel}>: {reason}. Its thread continues here.",
    "timeline.moved": "card moved to another channel: {note}",
    "outsider.refused": (
        "Sorry, this app works only for the people of the company that runs it, so nothing changed. Your contact "
        "there will gladly take this on."
    ),
    "error.could_not_check": (
        "Sorry, Slack could not tell me just now whether you may do that, so nothing changed. Please try again in a "
        "minute."
    ),
    # The 8D.
    "button.eight_d": "8D",
    "eightd.progress": "8D: {marks}",
    "eightd.required_one": "8D required: {missing} missing",
    "eightd.required_many": "8D required: {missing} missing",
    "eightd.form.title": "8D for #{number}",
    "eightd.form.submit": "Save",
    "eightd.form.intro": (
        "Fill in what is known now and save; every discipline can be completed later. The report is made with "
        "`/complaint 8d <number>`."
    ),
    "eightd.form.d2": (
        "*D2 Problem description*: the complaint's text, customer and attachments are part of it already. Add the "
        "customer's facts:"
    ),
    "eightd.label.team": "D1 Team",
    "eightd.hint.team": "Everyone who works on the 8D; they, the owner and managers can edit it.",
    "eightd.label.claim_number": "D2 Customer's claim number",
    "eightd.label.part_number": "D2 Part number",
    "eightd.label.batch": "D2 Batch / lot",
    "eightd.label.quantity": "D2 Quantity affected",
    "eightd.label.containment": "D3 Containment actions",
    "eightd.label.contained_at": "D3 Containment effective since",
    "eightd.hint.contained": "Left empty, containment counts from when D3 is saved.",
    "eightd.label.occurrence": "D4 Root cause: why it happened (occurrence)",
    "eightd.label.escape": "D4 Root cause: why it was not caught (escape)",
    "eightd.label.corrective": "D5 Corrective actions",
    "eightd.label.corrective_date": "D5 Implemented on / planned for",
    "eightd.label.verification": "D6 Verification of effectiveness",
    "eightd.label.preventive": "D7 Preventive actions",
    "eightd.placeholder.claim_number": "e.g. the number on the customer's complaint form",
    "eightd.placeholder.part_number": "Drawing or article number",
    "eightd.placeholder.batch": "Batch, lot or serial numbers affected",
    "eightd.placeholder.quantity": "e.g. 120 pcs of 2,000 delivered",
    "eightd.placeholder.containment": "Stock blocked and sorted, replacement sent, 100 % inspection …",
    "eightd.placeholder.occurrence": "The technical cause, found with 5 Why or a fishbone diagram",
    "eightd.placeholder.escape": "Why inspection or testing did not detect it",
    "eightd.placeholder.corrective": "What removes the root cause, who does it",
    "eightd.placeholder.verification": "How you proved the corrective actions work (measurements, audits, parts)",
    "eightd.placeholder.preventive": "Control plan, FMEA, work instructions and similar products updated",
    "eightd.error.contained_future": "Containment cannot start in the future.",
    "eightd.error.contained_without_text": "Please describe the containment actions too.",
    "eightd.error.corrective_date_without_text": "Please describe the corrective actions too.",
    "eightd.error.too_long": "Please keep this under {limit} characters.",
    "eightd.emptied": "_(emptied)_",
    "eightd.thread.updated": "<@{user}> updated the 8D. {progress}",
    "eightd.only_allowed": (
        "The 8D of #{number} is worked by its owner ({owner}), the people in its D1 team ({team}) and managers. "
        "Ask one of them to add you to the D1 team."
    ),
    "eightd.unclaimed": (
        "#{number} has no owner yet. Whoever takes it on (react with :{emoji}: on the card) works its 8D, with "
        "their team."
    ),
    "eightd.nobody_yet": "nobody yet",
    "eightd.report.queued": (
        "Making the {kind} of #{number} (Rev. {revision}). It will appear in the card's thread, and <@{reporter}> "
        "gets it to pass on to the customer."
    ),
    "eightd.report.queued_reporter": (
        "Making the {kind} of #{number} (Rev. {revision}). It will appear in the card's thread, and you get it in "
        "your direct messages to pass on to the customer."
    ),
    "eightd.report.kind.interim": "interim 8D report",
    "eightd.report.kind.full": "8D report",
    "eightd.report.unknown": "There is no complaint #{number}.",
    "eightd.report.only_allowed": (
        "The 8D report of #{number} is made by its owner, its D1 team, its reporter or a manager."
    ),
    "eightd.report.thread": "{kind} of #{number}, Rev. {revision}, requested by <@{user}>.",
    "eightd.report.thread_auto": (
        "D3 to D7 are all filled in, so here is the full 8D report of #{number}, Rev. {revision}."
    ),
    "eightd.report.reporter": (
        "Here is the {kind} of your complaint (Rev. {revision}), ready to pass on to the customer: {link}"
    ),
    "eightd.report.title": "{kind}, #{number}, Rev. {revision}",
    "eightd.report.failed": (
        "Sorry, the 8D report of #{number} could not be made. Nothing was sent; please try again, and tell an admin "
        "if it keeps failing."
    ),
    "resolve.eight_d_missing": (
        "#{number} needs its 8D before it can be resolved: {missing} still missing. Fill them in with the card's "
        "*8D* button, then resolve it."
    ),
    "containment.soon.owner": (
        "Containment for this complaint is due by {when}: {link}\nOnce the customer is protected (stock blocked, "
        "parts sorted, replacement sent …), enter it as D3 with the card's *8D* button."
    ),
    "containment.soon.thread": (
        "Containment for this complaint is due by {when}, and nobody owns it yet. React with :{emoji}: on the card to "
        "take it on, then enter the containment actions as D3 with *8D*."
    ),
    "containment.overdue.thread": "Containment was due {when} and is not in place, so management has been told.",
    "escalation.containment.title": "No containment for complaint #{number}",
    "escalation.containment_due": "Containment was due",
    "reporter.escalated.containment": (
        "Containment for your complaint was not in place in time, so management has been told about it: {link}\n"
        "You don't need to do anything."
    ),
    "timeline.eight_d_updated": "{actor} updated the 8D: {note}",
    "timeline.eight_d_report": "8D report made: {note}",
    "timeline.containment_due_soon": "reminded that containment is due soon",
    "timeline.containment_overdue": "containment overdue; management told",
    "home.due.contain_soon": "containment reminder",
    "home.due.contain_overdue": "containment deadline",
    "eightd.pdf.title.interim": "8D report – interim (D1–D3)",
    "eightd.pdf.title.full": "8D report",
    "eightd.pdf.rev": "Rev. {revision}",
    "eightd.pdf.subtitle": "Complaint #{number} · Rev. {revision} · issued {date}",
    "eightd.pdf.footer": "8D report, complaint #{number} · Rev. {revision} · page {{page}} of {{pages}}",
    "eightd.pdf.filename": "8D-report-{number}-rev{revision}.pdf",
    "eightd.pdf.complaint": "Complaint",
    "eightd.pdf.leader": "8D leader",
    "eightd.pdf.status.unclaimed": "open",
    "eightd.pdf.status.owned": "in progress",
    "eightd.pdf.status.resolved": "closed",
    "eightd.pdf.members": "Team members",
    "eightd.pdf.none": "—",
    "eightd.pdf.open": "Open: not filled in yet.",
    "eightd.pdf.not_yet": "not yet",
    "eightd.pdf.dates": "Key dates",
    "eightd.pdf.filed": "Filed",
    "eightd.pdf.claimed": "Taken on",
    "eightd.pdf.contained": "Contained",
    "eightd.pdf.resolved": "Resolved",
    "eightd.pdf.confirmed": "Customer satisfaction confirmed",
    "eightd.pdf.target": "{value} (target: {deadline})",
    "eightd.pdf.target_met": "{value} (target: {deadline}, met)",
    "eightd.pdf.d2": "D2 Problem description",
    "eightd.pdf.problem": "Problem",
    "eightd.pdf.attachments": "Attachments",
    "eightd.pdf.effective_since": "Effective since",
    "eightd.pdf.d4": "D4 Root cause",
    "eightd.pdf.d8": "D8 Closure",
    "eightd.pdf.next": "Next steps",
    "eightd.pdf.interim_note": (
        "This is an interim report: the customer is protected by the containment actions above while the root "
        "cause is analysed. The full 8D report with root cause, corrective and preventive actions follows."
    ),
    "eightd.pdf.not_closed": "Not closed yet.",
    "eightd.pdf.resolution": "Resolution",
    "eightd.pdf.closed_by": "Closed by",
    "eightd.pdf.closed_at": "Closed on",
    "eightd.pdf.customer_satisfied": "Customer satisfied",
    "eightd.pdf.satisfied": "yes, confirmed by {person} on {when}",
    "eightd.pdf.not_confirmed": "not confirmed yet",
    "eightd.pdf.claim_number": "Customer's claim number",
    "eightd.pdf.part_number": "Part number",
    "eightd.pdf.batch": "Batch / lot",
    "eightd.pdf.quantity": "Quantity affected",
    "eightd.pdf.occurrence": "Why it happened (occurrence)",
    "eightd.pdf.escape": "Why it was not caught (escape)",
    "eightd.pdf.corrective_date": "Implemented on / planned for",
    # Filing from a message.
    "card.from_message": "From <{link}|a message> by {author}",
    "capture.someone": "an app",
    "capture.intro": "From <{link}|this message> by {author}. Check the summary and name the customer.",
    "capture.files": "The message's files ({files}) come along into the complaint's thread.",
    "capture.filed_before.title": "Already filed",
    "capture.filed_before": "This message was already filed ({status}; owner: {owner}): {ref}",
    "capture.button.file_anyway": "File a new one anyway",
    "capture.reply": "Filed as {ref} by <@{user}>; its card is in <#{channel}>.",
    "capture.private": (
        "Filed as {ref}; its card is in <#{channel}>. I cannot reply under the message, so only you see this."
    ),
    "shortcut.file": "File as complaint",
    "card.attachments.one": ":paperclip: 1 attachment in the thread",
    "card.attachments": ":paperclip: {count} attachments in the thread",
    "attach.files.one": "1 file",
    "attach.files": "{count} files",
    "attach.megabytes": "{count} MB",
    "attach.unnamed": "a file without a name",
    "attach.comment": ":paperclip: {files} attached to #{number} when it was filed.",
    "attach.problems": (
        "The complaint is filed, but I could not attach everything to it: {link}\n{lines}\nIf you still have them, "
        "post them in its thread yourself: files there count as its attachments too."
    ),
    "attach.problem.too_large": "• {name} ({size}) is larger than the 10 MB I can pass on.",
    "attach.problem.unreadable": (
        "• {name}: Slack would not let me read it (it may have been deleted, or it is in a conversation I am not in)."
    ),
    "attach.problem.refused": "• {name}: Slack would not take it into the thread.",
    "attach.problem.too_large_unsized": "• {name} is larger than the 10 MB I can pass on.",
    "digest.eightd.title": "8D",
    "digest.eightd.completed": "8D completed (D3 to D7 filled in)",
    "digest.eightd.contain_median": "Time to containment (median)",
    "digest.eightd.in_time": "Contained within {within}",
    "digest.eightd.in_time_value": "{share} ({count} of {total})",
    "digest.eightd.past": "Open past the containment deadline",
    "export.col.claim_number": "Customer's claim number",
    "export.col.part_number": "Part number",
    "export.col.batch": "Batch",
    "export.col.quantity": "Quantity affected",
    "export.col.team": "8D team",
    "export.col.containment": "D3 Containment actions",
    "export.col.contained": "Contained at",
    "export.col.minutes_to_contain": "Minutes to containment",
    "export.col.contained_in_time": "Contained in time",
    "export.col.occurrence": "D4 Root cause (occurrence)",
    "export.col.escape": "D4 Root cause (escape)",
    "export.col.corrective": "D5 Corrective actions",
    "export.col.corrective_date": "D5 Date",
    "export.col.verification": "D6 Verification",
    "export.col.preventive": "D7 Preventive actions",
    "export.col.eight_d_completed": "8D completed at",
    "export.col.eight_d_reports": "8D reports made",
    # Routing.
    "routing.announce": "New complaint {ref} from <@{user}>, its card is in <#{channel}>: {summary}",
    "list.card_in": "card in <#{channel}>",
}
