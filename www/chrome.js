// The chrome every demo page shares: the header with the navigation
// between the five pages (the current one marked), filled into the page's
// `<header class="site-header">`.

import { h } from './dom.js';

/** The tour, in order. */
export const PAGES = [
  { href: '/', label: 'Trigger editor' },
  { href: '/site/', label: 'Livechat' },
  { href: '/rules.html', label: 'Rules playground' },
  { href: '/filter.html', label: 'Filter playground' },
  { href: '/inbox.html', label: 'Inbox console' },
];

/** Fills the header; `current` is the href of this page. */
export function mountChrome(current) {
  const header = document.querySelector('header.site-header');
  const links = PAGES.map(({ href, label }) => {
    const a = h('a', { href, textContent: label });
    if (href === current) a.setAttribute('aria-current', 'page');
    return h('li', {}, a);
  });
  header.replaceChildren(
    h('a', { className: 'brand', href: '/', textContent: 'triggerkit' }),
    h('nav', { 'aria-label': 'Demo pages' }, h('ul', {}, ...links)),
  );
}
