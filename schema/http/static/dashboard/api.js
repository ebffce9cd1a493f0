// GraphQL over fetch to arvio's own /graphql. The organisation token lives in sessionStorage only (gone when the
// tab closes) and travels as a bearer header, never as a cookie.

const TOKEN_KEY = "arvio.token";

export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export function token() {
  return window.sessionStorage.getItem(TOKEN_KEY);
}

export function keepToken(value) {
  window.sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  window.sessionStorage.removeItem(TOKEN_KEY);
}

export async function gql(query, variables = {}, { auth = false } = {}) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (auth && token()) headers.Authorization = `Bearer ${token()}`;
  const response = await fetch("/graphql", {
    method: "POST", headers, body: JSON.stringify({ query, variables }), credentials: "omit",
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`, "BAD_RESPONSE", response.status);
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR", response.status);
  }
  return body.data;
}

export const ANALYTICS_FIELDS = `
  from to timeZone headline scale publicView
  score { published count skipped mean nps npsBand yesShare responseRate interval { low high } distribution { value count } }
  series(granularity: $granularity) { label from to partial published count value interval { low high } }
  heatmap { cells { weekday hour count averageCount value published } peak { weekday hour count } }
  drivers { published answers wentWell { driver count } couldBeBetter { driver count } toImprove { driver count } }
  events { id occurredOn public description(locale: $locale) drivers
    impact { status changeAt before after difference interval { low high } pValue significant beforeCount afterCount }
    driverImpacts { driver status before after difference interval { low high } pValue significant } }`;

export const COMPARISON_QUERY = `
  query Comparison($questionId: ID!, $scope: PeerScope!, $peerOf: ID, $locale: Locale!, $lastDays: Int) {
    serviceComparison(questionId: $questionId, scope: $scope, peerOf: $peerOf, lastDays: $lastDays) {
      scope group metric priorMean rankedCount
      focus { serviceId rank percentile shrunkMean shrunkNps npsBand interval { low high } }
      entries { serviceId name(locale: $locale) ranked rank shrunkMean shrunkNps npsBand count percentile
                interval { low high } }
    }
  }`;

export const QUESTIONS_QUERY = `
  query Questions($locale: Locale!) { questions { id scale text(locale: $locale) } }`;
