// Times come from the server in UTC (with "UTC" written after them, for a browser without scripts); here each
// <time class="local-time"> is shown in the browser's own time zone, with the zone named. data-seconds adds the
// seconds; data-ms shows only the time of day to the millisecond (a message's delivery timeline).
(() => {
  const lang = document.documentElement.lang || undefined;
  for (const el of document.querySelectorAll('time.local-time')) {
    const at = new Date(el.dateTime);
    if (isNaN(at)) continue;
    const options = 'ms' in el.dataset
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, timeZoneName: 'short' }
      : { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
    if ('seconds' in el.dataset) options.second = '2-digit';
    el.title = at.toISOString();
    el.textContent = at.toLocaleString(lang, options);
  }
})();
