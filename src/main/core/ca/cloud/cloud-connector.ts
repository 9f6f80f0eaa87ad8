import type { CloudCaSettings } from '../../../../shared/ca-settings';
import type { CertificateRequestResponse, ErrorInformation } from '../../../../shared/certificate-request';
import { CaError, type CaConnector, type ConnectorContext, type ConnectorHealth, type IssueRequest, type IssueResult } from '../connector';
import { CloudApi } from './cloud-api';
import { cloudHttpError } from './cloud-errors';
import { splitCertificates } from '../../pki/pem';
import { validityPeriodOf } from './validity';

const REQUESTS = '/outagedetection/v1/certificaterequests';
const FAILED_STATUSES = new Set(['FAILED', 'REJECTED', 'REJECTED_APPROVAL', 'CANCELLED', 'DELETED', 'REVOKED']);

/**
 * A CA connector for the cloud service (TLS Protect Cloud / Certificate Manager SaaS). Only the
 * satellite's CSR goes out, as `certificateSigningRequest`: the private key stays here.
 */
export class CloudConnector implements CaConnector {
  readonly type = 'CLOUD' as const;
  readonly issuesLocally = false;
  private readonly api: CloudApi;

  constructor(
    private readonly settings: CloudCaSettings,
    private readonly context: ConnectorContext,
  ) {
    this.api = new CloudApi(settings.baseUrl, context.secrets, settings.apiKeySecretId);
  }

  /** Submit the CSR, then poll until ISSUED or FAILED; still pending after timeoutMs gives PENDING with the cloud's request id. */
  async issue(request: IssueRequest): Promise<IssueResult> {
    const body = {
      applicationId: this.settings.remoteApplicationId,
      certificateIssuingTemplateId: this.settings.remoteCertificateIssuingTemplateId,
      certificateSigningRequest: request.csrPem,
      validityPeriod: validityPeriodOf(request.validitySeconds),
      apiClientInformation: { type: 'keypair-satellite', identifier: request.requestId },
    };
    const created = await this.api.expect(201, 'the certificate request', 'POST', REQUESTS, body);
    const remote = firstRequest(created);
    this.context.log.log('info', 'cloud certificate request submitted', { requestId: request.requestId, cloudRequestId: remote.id, status: remote.status });
    const deadline = Date.now() + this.settings.timeoutMs;
    let result = await this.settle(remote);
    while (result.status === 'PENDING' && Date.now() + this.settings.pollIntervalMs <= deadline) {
      await sleep(this.settings.pollIntervalMs);
      result = await this.poll(remote.id);
    }
    if (result.status === 'PENDING') this.context.log.log('info', 'cloud certificate request still pending', { requestId: request.requestId, cloudRequestId: remote.id });
    return result;
  }

  /** One look at the cloud's request: ISSUED with the chain, PENDING, or a CaError with its errorInformation. */
  async poll(pollToken: string): Promise<IssueResult> {
    const body = await this.api.expect(200, `the status of request ${pollToken}`, 'GET', `${REQUESTS}/${encodeURIComponent(pollToken)}`);
    return this.settle(requestObject(body));
  }

  async health(): Promise<ConnectorHealth> {
    try {
      const body = await this.api.expect(200, 'the API key check', 'GET', '/v1/useraccounts');
      const user = (body as { user?: { username?: string } }).user?.username;
      return { healthy: true, message: `The cloud at ${this.settings.baseUrl} accepts the API key${user ? ` (user ${user})` : ''}` };
    } catch (e) {
      return { healthy: false, message: (e as Error).message };
    }
  }

  private async settle(remote: CertificateRequestResponse): Promise<IssueResult> {
    if (FAILED_STATUSES.has(remote.status)) throw failed(remote);
    if (remote.status !== 'ISSUED') return { status: 'PENDING', pollToken: remote.id };
    const certificateId = remote.certificateIds?.[0];
    if (!certificateId) return { status: 'PENDING', pollToken: remote.id };
    const contents = await this.api.send('GET', `/outagedetection/v1/certificates/${encodeURIComponent(certificateId)}/contents?format=PEM&chainOrder=EE_FIRST`, undefined, 'text/plain');
    // 409: the request says ISSUED but the CA has not handed over the certificate yet.
    if (contents.status === 409) return { status: 'PENDING', pollToken: remote.id };
    if (contents.status !== 200) throw cloudHttpError(`the certificate ${certificateId}`, contents.status, contents.body);
    const [certificatePem, ...chainPems] = splitCertificates(typeof contents.body === 'string' ? contents.body : '');
    if (!certificatePem) throw new CaError(`The cloud returned no PEM certificate for ${certificateId}`, true);
    this.context.log.log('info', 'cloud certificate issued', { cloudRequestId: remote.id, certificateId, chainLength: chainPems.length });
    return { status: 'ISSUED', certificatePem, chainPems };
  }
}

function failed(remote: CertificateRequestResponse): CaError {
  const info: ErrorInformation | undefined = remote.errorInformation;
  const message = info?.message ? info.message : `the cloud marked request ${remote.id} ${remote.status} without a reason`;
  return new CaError(message, false, info ?? { status: remote.status });
}

function requestObject(body: unknown): CertificateRequestResponse {
  if (typeof body === 'object' && body !== null && 'id' in body && 'status' in body) return body as CertificateRequestResponse;
  throw new CaError('The cloud answered with something that is not a certificate request', true);
}

function firstRequest(body: unknown): CertificateRequestResponse {
  const list = (body as { certificateRequests?: unknown[] } | undefined)?.certificateRequests;
  return requestObject(Array.isArray(list) ? list[0] : undefined);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
