/**
 * Every history code with its message and remedy, in English and Japanese, in one place a
 * translator can read. Codes are the transport's classifications, the package's skip reasons,
 * and the link and pause events of the integration's sync history (連携履歴).
 */
export type Language = 'en' | 'ja';

export interface CatalogEntry {
	status: 'success' | 'skip' | 'error';
	message: Record<Language, string>;
	remedy: Record<Language, string>;
}

export const CATALOG = {
	OK: {
		status: 'success',
		message: { en: 'Synced.', ja: '連携しました。' },
		remedy: { en: '', ja: '' },
	},
	DUPLICATE: {
		status: 'skip',
		message: {
			en: 'Already synced earlier; nothing new was written.',
			ja: '既に連携済みのため、新たな書き込みは行っていません。',
		},
		remedy: { en: '', ja: '' },
	},
	VALIDATION: {
		status: 'error',
		message: { en: 'HubSpot rejected the input.', ja: 'HubSpot側で入力値がエラーとなりました。' },
		remedy: {
			en: 'Correct the value HubSpot names (see HubSpot’s message), then sync again.',
			ja: 'HubSpotのメッセージに示された項目の値を修正してから、再度連携してください。',
		},
	},
	AUTH_INVALID: {
		status: 'error',
		message: { en: 'HubSpot authentication is invalid.', ja: 'HubSpotの認証が無効です。' },
		remedy: {
			en: 'Reconnect the HubSpot credential in n8n (or paste a new service key).',
			ja: 'n8nでHubSpotの認証情報を再接続してください（サービスキーの場合は新しいキーを設定してください）。',
		},
	},
	SCOPES_MISSING: {
		status: 'error',
		message: {
			en: 'The HubSpot connection lacks a required permission (scope).',
			ja: 'HubSpot連携に必要な権限（スコープ）が不足しています。',
		},
		remedy: {
			en: 'Reconnect the credential with the scopes listed in the README (HubSpot names the missing ones).',
			ja: 'READMEに記載のスコープを付与して認証情報を再接続してください（不足しているスコープはHubSpotのメッセージに表示されます）。',
		},
	},
	RATE_LIMITED: {
		status: 'error',
		message: { en: 'HubSpot’s API limit was reached.', ja: 'HubSpotのAPI利用上限に達しました。' },
		remedy: {
			en: 'Run the sync again later; for the daily limit, after midnight in the account’s time zone.',
			ja: '時間をおいて再度実行してください。1日の上限の場合は、アカウントのタイムゾーンで翌日以降に実行してください。',
		},
	},
	DAILY_LIMIT: {
		status: 'skip',
		message: {
			en: 'HubSpot’s daily API limit is used up: the run stopped without writing more.',
			ja: 'HubSpotの1日のAPI利用上限に達したため、連携を中断しました。',
		},
		remedy: {
			en: 'Nothing is lost (the cursor was kept): the next run after midnight in the HubSpot account’s time zone continues. Lower the number of syncs per day if it happens often.',
			ja: 'データは失われていません（カーソルは更新していません）。HubSpotアカウントのタイムゾーンで翌日以降の実行で続きから連携します。頻発する場合は同期の回数を減らしてください。',
		},
	},
	CLAIM_LOST: {
		status: 'error',
		message: {
			en: 'Another sync took over this run: its lease (leaseMinutes) ran out before the next chunk started.',
			ja: '別の同期処理がこの実行を引き継ぎました。次のチャンクの開始前にリース（leaseMinutes）が切れていました。',
		},
		remedy: {
			en: 'Nothing to do for this run: the sync that holds the claim now reads everything again. If it happens often, raise leaseMinutes in the row of hubspot_sync_runs.',
			ja: 'この実行への対応は不要です。現在クレームを持つ同期処理がすべて再取得します。頻発する場合は、hubspot_sync_runsの行のleaseMinutesを長くしてください。',
		},
	},
	DATA_TABLES_FULL: {
		status: 'error',
		message: {
			en: 'n8n’s Data tables would pass their size limit during this run: it stopped before writing (more) records and removed the rows it had written.',
			ja: 'この実行でn8nのData tableが容量上限を超えるため、レコードの書き込み前に停止し、書き込み済みの行を削除しました。',
		},
		remedy: {
			en: 'The records table is as before the run. Free space (delete tables you no longer use, shorten historyRetentionDays), or raise N8N_DATA_TABLES_MAX_SIZE_BYTES on n8n and Settings → dataTablesLimitBytes of the run workflow to the same value, then sync again.',
			ja: 'レコード表は実行前の状態のままです。不要なData tableを削除する、historyRetentionDaysを短くするなどで空きを作るか、n8nのN8N_DATA_TABLES_MAX_SIZE_BYTESと実行ワークフローのSettings → dataTablesLimitBytesを同じ値に引き上げてから、再度同期してください。',
		},
	},
	DATA_TABLES_NEAR_FULL: {
		status: 'skip',
		message: {
			en: 'n8n’s Data tables will be over 80% of their size limit during this run; the run goes on.',
			ja: 'この実行中にn8nのData tableが容量上限の80%を超えます。実行は続行します。',
		},
		remedy: {
			en: 'Before the limit stops a run: delete tables you no longer use, shorten historyRetentionDays, or raise N8N_DATA_TABLES_MAX_SIZE_BYTES on n8n and Settings → dataTablesLimitBytes to the same value.',
			ja: '上限で同期が止まる前に、不要なData tableの削除やhistoryRetentionDaysの短縮を行うか、n8nのN8N_DATA_TABLES_MAX_SIZE_BYTESとSettings → dataTablesLimitBytesを同じ値に引き上げてください。',
		},
	},
	N8N_API_FAILED: {
		status: 'error',
		message: {
			en: 'n8n’s own API (Settings → n8nApiUrl) did not answer as expected: the run stopped before it wrote (more) records.',
			ja: 'n8n自身のAPI（Settings → n8nApiUrl）から想定どおりの応答がなかったため、レコードの書き込み前に停止しました。',
		},
		remedy: {
			en: 'Check n8nApiUrl in the run’s Settings (the address at which this n8n reaches itself, e.g. http://localhost:5678) and the n8n API credential (an API key with the Data table scopes, not revoked) in its n8n API nodes, or clear n8nApiUrl to sync without n8n’s API; then sync again.',
			ja: '実行ワークフローのSettingsのn8nApiUrl（このn8nが自身に接続するアドレス。例: http://localhost:5678）と、n8n APIノードの認証情報（Data tableのスコープを持つ有効なAPIキー）を確認してください。n8nのAPIを使わない場合はn8nApiUrlを空にしてください。その後、再度同期してください。',
		},
	},
	RUN_INTERRUPTED: {
		status: 'error',
		message: {
			en: 'The previous sync run did not finish (n8n stopped or crashed while it ran).',
			ja: '前回の同期処理が完了しませんでした（実行中にn8nが停止しました）。',
		},
		remedy: {
			en: 'Nothing to do: this run reads everything again once its lease has expired. If it happens often, check the n8n logs for restarts or memory limits.',
			ja: '対応は不要です。リース期限後の今回の実行ですべて再取得します。頻発する場合は、n8nのログで再起動やメモリ不足を確認してください。',
		},
	},
	UNAVAILABLE: {
		status: 'error',
		message: {
			en: 'HubSpot was temporarily unavailable.',
			ja: 'HubSpotが一時的に利用できませんでした。',
		},
		remedy: {
			en: 'It was retried automatically (see attempts) and is not resent later: run the sync again.',
			ja: '自動で再試行しました（試行回数を参照）。以後の自動再送は行わないため、再度連携を実行してください。',
		},
	},
	NOT_FOUND: {
		status: 'error',
		message: {
			en: 'The record no longer exists in HubSpot; sync for this record is disabled.',
			ja: 'HubSpot側でレコードが存在しないため、このレコードの連携を無効にしました。',
		},
		remedy: {
			en: 'Nothing to do if it was deleted on purpose. Later attempts are not logged again.',
			ja: '意図して削除した場合は対応不要です。以後の連携試行は履歴に記録されません。',
		},
	},
	CONFLICT: {
		status: 'error',
		message: {
			en: 'The record already exists in HubSpot.',
			ja: 'HubSpotに同じレコードが既に存在します。',
		},
		remedy: {
			en: 'Link to the existing record (its id is in HubSpot’s message) instead of creating one.',
			ja: '新規作成ではなく、既存のレコード（IDはHubSpotのメッセージに記載）と紐付けてください。',
		},
	},
	EXCLUDED: {
		status: 'skip',
		message: {
			en: 'Set to “exclude from sync” in HubSpot; sync for this record is disabled.',
			ja: 'HubSpotで連携対象外に設定されたため、このレコードの連携を無効にしました。',
		},
		remedy: {
			en: 'Set the exclusion property back to “no” in HubSpot to enable it again.',
			ja: 'HubSpotで連携除外の項目を「いいえ」に戻すと、再び連携されます。',
		},
	},
	LINK_ENABLED: {
		status: 'success',
		message: {
			en: 'No longer excluded in HubSpot; sync for this record is enabled again.',
			ja: 'HubSpotで連携対象に戻されたため、このレコードの連携を再開しました。',
		},
		remedy: { en: '', ja: '' },
	},
	STAGE_UNMAPPED: {
		status: 'skip',
		message: {
			en: 'The deal’s stage has no mapping, so it is not synced.',
			ja: '取引ステージの対応付けが設定されていないため、連携しませんでした。',
		},
		remedy: {
			en: 'Add the stage to the stage mapping if deals in it should sync.',
			ja: 'このステージの取引を連携する場合は、ステージの対応付けに追加してください。',
		},
	},
	FILTERED_OUT: {
		status: 'skip',
		message: {
			en: 'The record does not match the filter rules.',
			ja: 'フィルタ条件に一致しないため、連携しませんでした。',
		},
		remedy: {
			en: 'Change the filter rules (team, owner, filter key) if it should sync.',
			ja: '連携する場合は、フィルタ条件（チーム・担当者・フィルタキー）を見直してください。',
		},
	},
	TYPE_DISABLED: {
		status: 'skip',
		message: {
			en: 'HubSpot sync is off for this meeting type.',
			ja: 'この面談タイプはHubSpot連携が無効です。',
		},
		remedy: {
			en: 'Add the meeting type to “Meeting Types to Sync” if it should sync.',
			ja: '連携する場合は「Meeting Types to Sync」に面談タイプを追加してください。',
		},
	},
	CONTACT_NOT_FOUND: {
		status: 'skip',
		message: {
			en: 'No HubSpot contact has the guest’s email.',
			ja: 'ゲストのメールアドレスに一致するHubSpotのコンタクトがありません。',
		},
		remedy: {
			en: 'Create the contact in HubSpot, or let the node create missing contacts.',
			ja: 'HubSpotでコンタクトを作成するか、コンタクトを自動作成する設定にしてください。',
		},
	},
	MEETING_NOT_FOUND: {
		status: 'skip',
		message: {
			en: 'No HubSpot meeting was made for this booking.',
			ja: 'この予約に対応するHubSpotのミーティングがありません。',
		},
		remedy: {
			en: 'Nothing to do if the booking was skipped when made.',
			ja: '予約時に連携対象外だった場合は対応不要です。',
		},
	},
	BOOKING_BUSY: {
		status: 'error',
		message: {
			en: 'Another delivery of this booking was being processed; nothing was written.',
			ja: '同じ予約の別の送信を処理中だったため、何も書き込んでいません。',
		},
		remedy: {
			en: 'Send the booking again in a minute (a booking tool retries by itself). If it keeps happening, check the executions of the booking workflow for one that hangs.',
			ja: '1分ほど後に予約をもう一度送信してください（予約ツールは自動で再送します）。繰り返し起きる場合は、予約ワークフローの実行履歴に止まったままの実行がないか確認してください。',
		},
	},
	BOOKING_NOT_SET_UP: {
		status: 'error',
		message: {
			en: 'The booking tables are not set up; nothing was written.',
			ja: '予約用のデータテーブルが未設定のため、何も書き込んでいません。',
		},
		remedy: {
			en: 'Run the workflow "HubSpot: meeting setup" once, then send the booking again.',
			ja: 'ワークフロー「HubSpot: meeting setup」を一度実行してから、予約をもう一度送信してください。',
		},
	},
	INVALID_EMAIL: {
		status: 'skip',
		message: {
			en: 'The contact has no valid email address, so it was not synced.',
			ja: '有効なメールアドレスがないため、このコンタクトは連携していません。',
		},
		remedy: {
			en: 'Add a valid email address in the source record, then sync again.',
			ja: '連携元のレコードに有効なメールアドレスを入力してから、再度連携してください。',
		},
	},
	MISSING_MATCH_KEY: {
		status: 'skip',
		message: {
			en: 'The company has no usable domain or name to match it by, so it was not synced.',
			ja: '照合に使えるドメインまたは会社名がないため、この会社は連携していません。',
		},
		remedy: {
			en: 'Enter the company’s domain (e.g. example.com) or its name in the source record, then sync again.',
			ja: '連携元のレコードに会社のドメイン（例: example.com）または会社名を入力してから、再度連携してください。',
		},
	},
	DUPLICATE_KEY: {
		status: 'skip',
		message: {
			en: 'Another record has the same email or domain, so only the first was synced.',
			ja: '同じメールアドレスまたはドメインのレコードが他にあるため、最初の1件だけを連携しました。',
		},
		remedy: {
			en: 'Merge or correct the duplicate records in the source, then sync again.',
			ja: '連携元で重複しているレコードを統合または修正してから、再度連携してください。',
		},
	},
	VALUE_INVALID: {
		status: 'skip',
		message: {
			en: 'A field holds a value the other side cannot store, so the record was not synced.',
			ja: '相手側に保存できない値の項目があるため、このレコードは連携していません。',
		},
		remedy: {
			en: 'Correct the field named in the message (or its picklist mapping), then sync again.',
			ja: 'メッセージに示された項目（または選択肢の対応付け）を修正してから、再度連携してください。',
		},
	},
	DELETED_IN_APP: {
		status: 'skip',
		message: {
			en: 'The record was deleted in the other app after it was synced, so it is not created there again.',
			ja: '連携後に相手のアプリで削除されたため、再作成していません。',
		},
		remedy: {
			en: 'Run a resync (Resync Deleted Records) if it should come back.',
			ja: '復元する場合は、削除済みレコードの再同期（Resync Deleted Records）を実行してください。',
		},
	},
	DELETED_IN_HUBSPOT: {
		status: 'skip',
		message: {
			en: 'The record was deleted in HubSpot after it was synced, so it is not created there again.',
			ja: '連携後にHubSpotで削除されたため、再作成していません。',
		},
		remedy: {
			en: 'Run a resync (Resync Deleted Records) if it should come back.',
			ja: '復元する場合は、削除済みレコードの再同期（Resync Deleted Records）を実行してください。',
		},
	},
	MATCH_KEY_CHANGED: {
		status: 'skip',
		message: {
			en: 'The record’s email or domain changed on one side since the last sync, so it was not created again on the other.',
			ja: '前回の連携以降に片方でメールアドレスまたはドメインが変更されたため、相手側に新規作成していません。',
		},
		remedy: {
			en: 'Change the email or domain on the other side too, so that the two records match again.',
			ja: '相手側のメールアドレスまたはドメインも同じ値に変更し、レコードが再び一致するようにしてください。',
		},
	},
	DELETES_HELD: {
		status: 'skip',
		message: {
			en: 'More records would have been deleted at once than allowed, so none was deleted.',
			ja: '一度に削除される件数が上限を超えるため、削除を保留しました。',
		},
		remedy: {
			en: 'Check that every record of the other app was read; if the deletions are real, raise “Most Deletes per Run”.',
			ja: '相手アプリのレコードがすべて読み込まれているか確認し、削除が正しい場合は「Most Deletes per Run」を引き上げてください。',
		},
	},
	SIDE_INCOMPLETE: {
		status: 'skip',
		message: {
			en: 'Some records of the other side could not be read, so a record missing there was neither deleted nor created again.',
			ja: '相手側の一部のレコードを読み込めなかったため、相手側に見つからないレコードの削除・再作成を保留しました。',
		},
		remedy: {
			en: 'Correct the records named in the error rows of the same run, then sync again.',
			ja: '同じ実行のエラー行に示されたレコードを修正してから、再度連携してください。',
		},
	},
	OVER_BUDGET: {
		status: 'skip',
		message: {
			en: 'The run would exceed the HubSpot API call budget for 24 hours, so nothing was written.',
			ja: '24時間あたりのHubSpot API呼び出し上限を超えるため、書き込みを行いませんでした。',
		},
		remedy: {
			en: 'Wait until the time given, or raise the cap in the sync settings.',
			ja: '表示された時刻以降に実行するか、設定の上限を引き上げてください。',
		},
	},
	THROTTLED: {
		status: 'skip',
		message: {
			en: 'A sync ran too recently or is still running.',
			ja: '前回の同期から時間が経っていないか、同期が実行中です。',
		},
		remedy: {
			en: 'Wait until the time given and start it again.',
			ja: '表示された時刻以降に再度実行してください。',
		},
	},
	PAUSED: {
		status: 'skip',
		message: {
			en: 'The integration is paused after repeated authentication failures.',
			ja: '認証エラーが続いたため、連携を一時停止しています。',
		},
		remedy: {
			en: 'Reconnect the HubSpot credential, then reset the pause (see the README).',
			ja: 'HubSpotの認証情報を再接続してから、一時停止を解除してください（READMEを参照）。',
		},
	},
	INPUT_INVALID: {
		status: 'error',
		message: { en: 'The input is not valid.', ja: '入力値が正しくありません。' },
		remedy: {
			en: 'Correct the field named in the message.',
			ja: 'メッセージに示された項目を修正してください。',
		},
	},
	UNKNOWN: {
		status: 'error',
		message: { en: 'An unexpected error occurred.', ja: '予期しないエラーが発生しました。' },
		remedy: {
			en: 'Run again; if it persists, contact support and quote the history id.',
			ja: '再度実行してください。解決しない場合は、履歴IDを添えてサポートにお問い合わせください。',
		},
	},
} satisfies Record<string, CatalogEntry>;

export type HistoryCode = keyof typeof CATALOG;

export function isHistoryCode(code: unknown): code is HistoryCode {
	return typeof code === 'string' && code in CATALOG;
}
