// Content ids of model files: the Model Hub client's implementation, so the devnet and the
// client always agree.
export { computeModelCid } from '@opengradient/hub'
