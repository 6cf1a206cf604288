// The built package's Node entry (pkg/node/triggerkit.mjs), as `import ... from
// 'triggerkit'` gives it to Node users: initialized at import, every export
// (clients included) ready to call.
import * as triggerkit from '../../pkg/node/triggerkit.mjs';

export default triggerkit;
