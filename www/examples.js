// The JSON examples of the five API documents (shared/seeds/), one list per
// format: request bodies for the editor, and the auxiliary documents the
// validators can check against (Zendesk definitions, Zapier input fields).
// Copied verbatim from the seeds, so the editor shows what the APIs document.

/** @typedef {{title: string, source: string, value: unknown}} Example */

/** @type {Record<string, Example[]>} request bodies, per format */
export const examples = {
  rocketchat: [
    {
      title: 'Create trigger (the API example)',
      source: 'POST /api/v1/livechat/triggers, request example 1',
      value: {
        name: 'api-trigger',
        description: 'testing create trigger endpoint',
        enabled: 'false',
        runOnce: 'true',
        conditions: [{ name: 'chat-opened-by-visitor', value: '0' }],
        actions: [{ name: 'send-message', params: { sender: 'queue', msg: 'hello world' } }],
      },
    },
  ],
  zendesk: [
    {
      title: 'Create trigger "Roger Wilco"',
      source: 'POST /api/v2/triggers, example body (the trigger object)',
      value: {
        actions: [{ field: 'group_id', value: '20455932' }],
        category_id: '10026',
        conditions: {
          all: [
            { field: 'status', operator: 'is', value: 'open' },
            { field: 'priority', operator: 'less_than', value: 'high' },
          ],
        },
        title: 'Roger Wilco',
      },
    },
  ],
  pocketflows: [
    {
      // The API page's `"filter": "<string>"` placeholder is not an
      // expression; a real filter stands in its place.
      title: 'Create trigger (the API example, with a real filter)',
      source: 'POST /businesses/{id}/triggers, request body',
      value: {
        project_defined_event: '<string>',
        name: '<string>',
        filter: 'event.properties.plan == "pro" && event.properties.amount > 100',
        metadata: {},
        attributed_revenue: 123,
        steps: [{ type: 'email', custom_step_id: '<string>', email_template_id: '<string>' }],
        email_address: '<string>',
        phone_number: '<string>',
        excluded_customers: ['<string>'],
      },
    },
  ],
  composio: [
    {
      // The API page's curl sends `{}`, which the server refuses: an upsert
      // needs the user's connected account. Its documented fields, filled in:
      title: 'Upsert (the API fields, filled in)',
      source: 'POST /api/v3/trigger_instances/{slug}/upsert, request body fields',
      value: {
        connected_account_id: 'ca_7Xk2pQ9vLm',
        trigger_config: { channel: 'C0123ABC456' },
        toolkit_versions: 'latest',
      },
    },
  ],
  zapier: [
    {
      title: 'Create inbox (poll)',
      source: 'PUT /trigger-inbox/api/v1/inboxes/{name}/, Step 5 body',
      value: {
        app: 'slack',
        action: 'channel_message',
        connection: 'CONNECTION_ID',
        inputs: { channel: 'C0123ABC456' },
      },
    },
    {
      title: 'Create inbox (push)',
      source: 'PUT /trigger-inbox/api/v1/inboxes/{name}/, "push instead of poll" body',
      value: {
        app: 'slack',
        action: 'channel_message',
        connection: 'CONNECTION_ID',
        inputs: { channel: 'C0123ABC456' },
        notification_url: 'https://your-server.example/trigger-webhook',
      },
    },
  ],
};

/** @type {Record<string, Example>} auxiliary documents, for formats that take one */
export const auxiliaryExamples = {
  zendesk: {
    title: 'Definitions (the API example)',
    source: 'GET /api/v2/triggers/definitions, example response',
    value: {
      definitions: {
        actions: [
          {
            group: 'ticket', nullable: false, repeatable: false, subject: 'status', title: 'Status', type: 'list',
            values: [
              { enabled: true, title: 'Open', value: 'open' },
              { enabled: true, title: 'Pending', value: 'pending' },
              { enabled: true, title: 'Solved', value: 'solved' },
              { enabled: true, title: 'Closed', value: 'closed' },
            ],
          },
        ],
        conditions_all: [
          {
            group: 'ticket', nullable: false,
            operators: [
              { terminal: false, title: 'Is', value: 'is' },
              { terminal: false, title: 'Is not', value: 'is_not' },
              { terminal: false, title: 'Less than', value: 'less_than' },
              { terminal: false, title: 'Greater than', value: 'greater_than' },
              { terminal: true, title: 'Changed', value: 'changed' },
              { terminal: false, title: 'Changed to', value: 'value' },
              { terminal: false, title: 'Changed from', value: 'value_previous' },
              { terminal: true, title: 'Not changed', value: 'not_changed' },
              { terminal: false, title: 'Not changed to', value: 'not_value' },
              { terminal: false, title: 'Not changed from', value: 'not_value_previous' },
            ],
            repeatable: false, subject: 'status', title: 'Status', type: 'list',
            values: [
              { enabled: true, title: 'New', value: 'new' },
              { enabled: true, title: 'Open', value: 'open' },
              { enabled: true, title: 'Pending', value: 'pending' },
              { enabled: true, title: 'Solved', value: 'solved' },
              { enabled: true, title: 'Closed', value: 'closed' },
            ],
          },
        ],
        conditions_any: [
          {
            group: 'ticket', nullable: true,
            operators: [
              { terminal: true, title: 'Present', value: 'present' },
              { terminal: true, title: 'Not present', value: 'not_present' },
            ],
            repeatable: false, subject: 'custom_fields_20513432', title: 'Happy Gilmore', type: 'list',
          },
          {
            group: 'ticket', nullable: true,
            operators: [
              { terminal: true, title: 'Present', value: 'present' },
              { terminal: true, title: 'Not present', value: 'not_present' },
            ],
            repeatable: false, subject: 'custom_fields_86492341', title: 'total_time_field', type: 'list',
          },
        ],
      },
    },
  },
  zapier: {
    title: 'Input fields of slack channel_message (the API example)',
    source: 'GET /trigger-inbox/api/v1/trigger-input-fields/, example response results',
    value: [
      {
        key: 'channel', title: 'Channel', value_type: 'STRING', format: 'SELECT', is_required: true,
        description: 'Only channels you are a member of will appear in this list.',
      },
      {
        key: 'listen_for_bots', title: 'Trigger for Bot Messages?', value_type: 'BOOLEAN', format: 'SELECT',
        is_required: false, default_value: 'no',
      },
    ],
  },
};
