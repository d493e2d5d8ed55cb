import type { AnyPlatform, AppIds } from "../dsl/index.js";

/**
 * The per-channel Glean app ids of Mozilla's platforms, as upstream OpMon keeps them in its own platform
 * configuration rather than in metric-hub (so imported definitions never carry them). `{dataset}` in a
 * data source resolves from these for the project's channel.
 */
const KNOWN_APP_IDS: { readonly [platform: string]: AppIds } = {
  fenix: { release: "org.mozilla.firefox", beta: "org.mozilla.firefox_beta", nightly: "org.mozilla.fenix" },
  firefox_ios: { release: "org.mozilla.ios.Firefox", beta: "org.mozilla.ios.FirefoxBeta", nightly: "org.mozilla.ios.Fennec" },
  focus_android: { release: "org.mozilla.focus", beta: "org.mozilla.focus.beta", nightly: "org.mozilla.focus.nightly" },
  focus_ios: { release: "org.mozilla.ios.Focus" },
  klar_android: { release: "org.mozilla.klar" },
  klar_ios: { release: "org.mozilla.ios.Klar" },
  monitor_cirrus: { release: "monitor.cirrus" },
  mozilla_vpn: { release: "mozillavpn" },
  mozilla_vpn_ios: { release: "org.mozilla.ios.FirefoxVPN" },
  mozilla_vpn_android: { release: "org.mozilla.firefox.vpn" },
};

/**
 * A platform's app ids per channel: its own (`definePlatform(..., { appIds })`) where it sets them,
 * else the built-in ones of the Mozilla platform of that name.
 *
 * @example appIdsOf(fenix)?.nightly // "org.mozilla.fenix"
 */
export const appIdsOf = (platform: Pick<AnyPlatform, "name" | "appIds">): AppIds | undefined =>
  platform.appIds ?? KNOWN_APP_IDS[platform.name];
