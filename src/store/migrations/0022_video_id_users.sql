-- Version 22: video approvers. An enterprise member with video_id_user = 1 is one of the
-- admins BitGo may call for video approval of large withdrawals (`videoIdUser`).
ALTER TABLE enterprise_members ADD COLUMN video_id_user INTEGER NOT NULL DEFAULT 0
    CHECK (video_id_user IN (0, 1));
