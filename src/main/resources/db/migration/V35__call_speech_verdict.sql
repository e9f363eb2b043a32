-- What the site's speech rules made of a call (owner: calls.CallRepository, set through calls.CallLifecycle): the
-- class the first matching rule with a classAs gives, and the reason naming its tag. NULL: no rule gave a verdict
-- (or the call was never transcribed). An answered call's class follows the verdict, over its talk time, until the
-- rules no longer give one; re-classification by a new threshold keeps it.
ALTER TABLE call ADD COLUMN speech_class text CHECK (speech_class IN ('target', 'non_target'));
ALTER TABLE call ADD COLUMN speech_reason text;
ALTER TABLE call ADD CONSTRAINT call_speech_verdict_whole CHECK ((speech_class IS NULL) = (speech_reason IS NULL));
