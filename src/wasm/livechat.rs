//! JS exports of the livechat engine (`LivechatEngine`) and browser runtime (`LivechatTriggers`).
