-- The calls API is camelCase: a FastAGI dial attempt's timeline detail names managerId, talkMs and answeredBy
-- (they were manager_id, talk_ms and answered_by). Entries written before are renamed so the timeline reads alike.
UPDATE call_event
   SET detail = (detail - 'manager_id' - 'talk_ms' - 'answered_by')
                || jsonb_strip_nulls(jsonb_build_object('managerId', detail -> 'manager_id',
                                                        'talkMs', detail -> 'talk_ms',
                                                        'answeredBy', detail -> 'answered_by'))
 WHERE detail ?| ARRAY['manager_id', 'talk_ms', 'answered_by'];
